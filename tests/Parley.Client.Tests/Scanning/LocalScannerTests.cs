using System.Security.Cryptography;
using Parley.Client.Scanning;
using Parley.Core.Scanning;
using Parley.Core.Scanning.Features;
using Parley.Core.Scanning.Identifier;
using Parley.Core.Scanning.Structure;
using Parley.Core.Transfer;
using Parley.Testing.Scanning;

namespace Parley.Client.Tests.Scanning;

public sealed class LocalScannerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-scan-").FullName;

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public async Task A_clean_file_passes_and_gets_an_identifier_the_server_can_verify()
    {
        var png = MediaSamples.Png(40, 30);
        var scanner = new LocalScanner(FeatureLibrary.Empty.With([new Feature("Unrelated", "r", new PatternSignature(BytePattern.Parse("deadbeef"), PatternAnchor.Anywhere))]));
        var result = await scanner.ScanFileAsync(Write("clean.png", png), "image/png");
        Assert.True(result.Passed, string.Join("; ", result.Findings.Select(f => f.Detail)));
        Assert.Equal((ContentId.Of(png), (long)png.Length, MediaFormat.Png, 1L), (result.ContentId, result.Size, result.Format, result.LibraryVersion));

        using var key = DeviceKey.Create();
        var identifier = scanner.Sign(result, key).Encode();
        var verifier = new IdentifierVerifier(TimeProvider.System, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1));
        Assert.Equal(IdentifierStatus.Valid, verifier.Verify(identifier, key.PublicKeyBase64, ContentId.Of(png), 1).Status);
        Assert.Equal(IdentifierStatus.OtherContent, verifier.Verify(identifier, key.PublicKeyBase64, ContentId.Of(MediaSamples.Png(41, 30)), 1).Status);
    }

    [Fact]
    public async Task A_scan_fed_by_the_shares_chunking_finds_what_a_scan_of_its_own_finds_and_cuts_the_same_manifest()
    {
        // Several chunks (FastCDC cuts at 256 KiB to 4 MiB), a payload at the end, and a pattern the library knows inside it.
        var file = (byte[])[.. NoisePictures.Png(9 * 1024 * 1024), .. "tail bytes: 0123456789abcdef"u8.ToArray()];
        var library = FeatureLibrary.Empty.With(FeatureDerivation.FromPayload("tail bytes: 0123456789abcdef"u8, "seen before"));
        var scanner = new LocalScanner(library);

        var own = await scanner.ScanAsync(new MemoryStream(file), "big.png", "image/png");
        var (shared, manifest) = await scanner.ScanForShareAsync(new MemoryStream(file), "big.png", "image/png", progress: null);

        Assert.Equal((own.ContentId, own.Size, own.Format, own.LibraryVersion), (shared.ContentId, shared.Size, shared.Format, shared.LibraryVersion));
        Assert.Equal(own.Findings, shared.Findings);
        Assert.Equal([ScanFindingCodes.DataAfterEnd, ScanFindingCodes.FeatureMatch, ScanFindingCodes.FeatureMatch], shared.Findings.Select(f => f.Code).Order());
        var alone = await ContentScanner.ScanAsync(new MemoryStream(file));
        Assert.Equal((alone.Id, alone.Size), (manifest.Id, manifest.Size));
        Assert.Equal(alone.Chunks, manifest.Chunks);
        Assert.True(manifest.Chunks.Count > 2);
    }

    [Fact]
    public async Task A_file_that_fails_says_why_and_gets_no_identifier()
    {
        var scanner = new LocalScanner(FeatureLibrary.Empty);
        var result = await scanner.ScanFileAsync(Write("holiday.png", [.. MediaSamples.Png(), .. MediaSamples.ShellScript]), "image/png");
        Assert.False(result.Passed);
        Assert.Equal([ScanFindingCodes.DataAfterEnd, ScanFindingCodes.EmbeddedScript], result.Findings.Select(f => f.Code).Order());
        using var key = DeviceKey.Create();
        Assert.Throws<InvalidOperationException>(() => scanner.Sign(result, key));
    }

    [Fact]
    public async Task A_payload_feature_catches_the_same_payload_in_another_carrier()
    {
        var payload = "#!/usr/bin/env python3\nimport os; os.system('id')\n"u8.ToArray();
        var feature = new Feature("Parley.Payload.1", "Payload of a blocked share",
            new HashSignature(HashTarget.Payload, Convert.ToHexStringLower(SHA256.HashData(payload)), payload.Length));
        var scanner = new LocalScanner(FeatureLibrary.Empty.With([feature]));
        var carriers = new[] { ("a.png", MediaSamples.Png()), ("b.jpg", MediaSamples.Jpeg()), ("c.gif", MediaSamples.Gif()), ("d.webp", MediaSamples.WebP()) };
        foreach (var (name, carrier) in carriers)
        {
            var result = await scanner.ScanFileAsync(Write(name, [.. carrier, .. payload]));
            var match = Assert.Single(result.Findings, f => f.Code == ScanFindingCodes.FeatureMatch);
            Assert.Contains("Parley.Payload.1", match.Detail);
        }
        Assert.True((await scanner.ScanFileAsync(Write("clean.png", MediaSamples.Png()))).Passed);
    }

    [Fact]
    public async Task A_stream_must_be_seekable()
    {
        var scanner = new LocalScanner(FeatureLibrary.Empty);
        await Assert.ThrowsAsync<ArgumentException>(() => scanner.ScanAsync(new NonSeekable(MediaSamples.Png()), "a.png"));
    }

    [Fact]
    public void The_store_starts_empty_saves_applies_deltas_and_refuses_gaps_and_damage()
    {
        var store = new LocalFeatureStore(Path.Combine(_folder, "state", "features.txt"));
        Assert.Same(FeatureLibrary.Empty, store.Load());

        var v1 = FeatureLibrary.Empty.With([new Feature("A", "a", new PatternSignature(BytePattern.Parse("4141"), PatternAnchor.Anywhere))]);
        var v3 = v1.With([new Feature("B", "b", new PatternSignature(BytePattern.Parse("4242"), PatternAnchor.Anywhere))])
            .With([new Feature("C", "c", new PatternSignature(BytePattern.Parse("4343"), PatternAnchor.Anywhere))]);
        Assert.Equal(1, store.Apply(v1.DeltaSince(0)).Version);
        Assert.Throws<InvalidOperationException>(() => store.Apply(v3.DeltaSince(2)));
        Assert.Equal(1, store.Load().Version);
        Assert.Equal(3, store.Apply(FeatureText.ParseDelta(FeatureText.Write(v3.DeltaSince(1)))).Version);
        Assert.Equal(FeatureText.Write(v3), File.ReadAllText(store.Path));

        File.WriteAllText(store.Path, "parley-features 1\nversion 3\nfeature 9 X bytes any 41 x\n");
        Assert.Equal(3, Assert.Throws<FeatureFormatException>(store.Load).LineNumber);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
