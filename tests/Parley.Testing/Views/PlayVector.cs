namespace Parley.Testing.Views;

/// <summary>
/// The play protocol's test vector (docs/views.md, "Test vector"), computed independently with pyca/cryptography:
/// fixed ECDH private keys for both shares, a fixed transcript, the play key they give, one report and its envelope
/// sealed with a fixed nonce. Hex is lowercase; shares and the envelope also in base64url as they travel.
/// Core's tests check that the code reproduces it byte for byte; the web client's tests check WebCrypto against it.
/// </summary>
public static class PlayVector
{
    public const string ClientPrivateKey = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";
    public const string ClientShare = "BFFcPW6545a5BNP-yn9U_c0MwemXvzddylFa0KbDtANfRTa-OlDzGPv5pUdZAqIhUCvvDVfgjFOyzApW8X2fk1Q";
    public const string ServerPrivateKey = "2122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f40";
    public const string ServerShare = "BB8UAUa_sbJR-E9N2-DUzc_Xev2YSpUg41eUAh-DErue7JlaCLH6dwTfPcwLUKlmUmP7dxH5X5-KRJxQluR8iSs";

    public const string PlayId = "p_vector";
    public const string UserId = "u_vector";
    public const string DeviceId = "d_vector";
    public const string Media = "m_vector";
    public const string ContentId = "c_vector";
    public const long SealedEveryMs = 5000;
    public const long PlainEveryMs = 15000;

    /// <summary>The raw ECDH secret: the shared point's X.</summary>
    public const string SharedSecret = "4fe243908f378aa1c2a69538822e6ed908c3225d8692575507c649901245150a";

    /// <summary>SHA-256 of the transcript's UTF-8 bytes: the HKDF salt.</summary>
    public const string TranscriptSha256 = "f9e4e77c6e79f55873fa778e4c0178e8305236eee3d3524ce00121949708d6aa";

    public const string PlayKey = "6e43a5a4ec983c80b2706732c77e3673240cd851d13a467037d4a5a1b5380d33";

    /// <summary>The report: flags Playing, counter 3, 1 500 000 bytes, position 15 000 ms, client time 2026-12-07T12:00:15Z.</summary>
    public const uint Counter = 3;
    public const long BytesDownloaded = 1_500_000;
    public const uint PositionMs = 15_000;
    public const long ClientTimeMs = 1_796_644_815_000;
    public const string Report = "010100000003000000000016e36000003a98000001a250604098";

    public const string Nonce = "000102030405060708090a0b";

    /// <summary>UTF-8 of <c>parley-report-v1\np_vector\n3</c>.</summary>
    public const string AssociatedData = "7061726c65792d7265706f72742d76310a705f766563746f720a33";

    public const string SealedReport = "00000003000102030405060708090a0bae481e684bb601d86defb1e26f210dab78ba1a247f1c880270e222e898283e7d5e6aa08194c9b82fd38c";
    public const string SealedReportBase64Url = "AAAAAwABAgMEBQYHCAkKC65IHmhLtgHYbe-x4m8hDat4uhokfxyIAnDiIuiYKD59XmqggZTJuC_TjA";

    /// <summary>The transcript's text (lines joined by \n, no final newline).</summary>
    public static string Transcript =>
        string.Join('\n', "parley-play-v1", "play:" + PlayId, "user:" + UserId, "device:" + DeviceId, "media:" + Media,
            "content:" + ContentId, "client:" + ClientShare, "server:" + ServerShare, "sealed-every:" + SealedEveryMs, "plain-every:" + PlainEveryMs);
}
