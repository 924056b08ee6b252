using System.Text;

namespace Parley.Core.Views;

/// <summary>
/// What both sides of a play agree on, as UTF-8 text of lines joined by "\n" (no final newline), in this order:
/// <code>
/// parley-play-v1
/// play:{playId}
/// user:{userId}
/// device:{deviceId}
/// media:{media}
/// content:{contentId}
/// client:{client share, base64url}
/// server:{server share, base64url}
/// sealed-every:{ms}
/// plain-every:{ms}
/// </code>
/// The server's view key signs these bytes, and their SHA-256 is the HKDF salt of the play key, so the key belongs to
/// this user, device, video and play session and to nothing else (docs/views.md, "Start of play").
/// </summary>
public sealed record PlayTranscript(
    string PlayId, string UserId, string DeviceId, string Media, string ContentId, string ClientShare, string ServerShare,
    long SealedEveryMs, long PlainEveryMs)
{
    public static PlayTranscript Of(PlayStartedDto started, string clientShare) => new(
        started.PlayId, started.UserId, started.DeviceId, started.Media, started.ContentId, clientShare, started.ServerShare,
        started.SealedEveryMs, started.PlainEveryMs);

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(string.Join('\n',
        "parley-play-v1",
        "play:" + PlayId,
        "user:" + UserId,
        "device:" + DeviceId,
        "media:" + Media,
        "content:" + ContentId,
        "client:" + ClientShare,
        "server:" + ServerShare,
        "sealed-every:" + SealedEveryMs,
        "plain-every:" + PlainEveryMs));

    /// <summary>What the device key signs to start a play: <c>parley-play-start-v1\nmedia:{media}\nclient:{client share}</c>.</summary>
    public static byte[] StartText(string media, string clientShare) =>
        Encoding.UTF8.GetBytes($"parley-play-start-v1\nmedia:{media}\nclient:{clientShare}");
}
