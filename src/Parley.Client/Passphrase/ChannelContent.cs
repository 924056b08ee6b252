using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Parley.Core.Json;

namespace Parley.Client.Passphrase;

/// <summary>
/// What travels inside the encrypted channel: one JSON object per frame, told apart by <c>type</c>.
/// The relay sees only the frame's length; names, texts and file keys stay between the two ends.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TextContent), "text")]
[JsonDerivedType(typeof(FileContent), "file")]
[JsonDerivedType(typeof(ByeContent), "bye")]
internal abstract record ChannelContent
{
    /// <summary>
    /// The wire's conventions, with "type" allowed anywhere in the object (another client may write
    /// it later) and text left unescaped: nothing renders it as HTML, and escaping would only make frames bigger.
    /// </summary>
    private static readonly JsonSerializerOptions Json = new(ParleyJson.Options)
    {
        AllowOutOfOrderMetadataProperties = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>The content of an authentic frame; throws <see cref="JsonException"/> for one this client cannot read.</summary>
    public static ChannelContent Deserialize(byte[] plaintext)
    {
        try
        {
            return JsonSerializer.Deserialize<ChannelContent>(plaintext, Json) ?? throw new JsonException("The content is JSON null.");
        }
        catch (NotSupportedException e)
        {
            // An unknown or missing "type" falls back to the abstract base, which cannot be created.
            throw new JsonException($"Unknown content: {e.Message}", e);
        }
    }
}

internal sealed record TextContent(string Text) : ChannelContent;

/// <param name="Name">The file's name on the sender's side; a label for the receiver, never a path to trust.</param>
/// <param name="Size">Plaintext bytes.</param>
/// <param name="ContentId">The relayed ciphertext's content id.</param>
/// <param name="MessageId">The message that delivered the ciphertext, to fetch it by.</param>
/// <param name="Key">Base64 of the file's own AES-256-GCM key (<see cref="PassphraseFileCipher"/>).</param>
internal sealed record FileContent(string Name, long Size, string ContentId, string MessageId, string Key) : ChannelContent;

/// <summary>The sender is done: it will send nothing more in this session.</summary>
internal sealed record ByeContent : ChannelContent;
