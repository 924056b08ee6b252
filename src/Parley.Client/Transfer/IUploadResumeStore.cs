namespace Parley.Client.Transfer;

/// <summary>
/// Remembers uploads that have not finished, so that sending the same content to the same target
/// again (after a crash, a kill, a lost network) continues the server's upload instead of starting over.
/// </summary>
public interface IUploadResumeStore
{
    UploadResumeEntry? Find(UploadResumeKey key);

    void Save(UploadResumeKey key, UploadResumeEntry entry);

    /// <summary>Forgets the entry; removing one that is not there is harmless.</summary>
    void Remove(UploadResumeKey key);
}

/// <param name="Target"><c>room:&lt;id&gt;</c> or <c>to:&lt;user name&gt;</c>.</param>
public sealed record UploadResumeKey(Uri Server, string ContentId, string Target);

/// <param name="UploadUrl">The tus upload's address as the server gave it (its <c>Location</c>).</param>
public sealed record UploadResumeEntry(string TransferId, string UploadUrl);
