using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Problems;
using Parley.Core.Scanning.Features;
using Parley.Server.Storage;

namespace Parley.Server.Tests.Scanning;

/// <summary>The published feature library: <c>GET</c>/<c>POST /api/scanning/library</c> and the <c>libraryUpdated</c> event.</summary>
public sealed class FeatureLibraryTests(LibraryFixture fixture) : IClassFixture<LibraryFixture>
{
    private const string Library = "/api/scanning/library";
    private readonly Api _api = fixture.Api;

    [Fact]
    public async Task A_full_fetch_holds_every_feature_and_a_delta_only_the_later_ones()
    {
        var op = fixture.Operator;
        var first = Unique("First");
        var second = Unique("Second");
        var v1 = (await Import(op, "a.txt", ParleyText(BytesLine(first, "414243")))).Version;
        var v2 = (await Import(op, "b.txt", ParleyText(BytesLine(second, "444546")))).Version;
        var reader = await _api.NewUser();

        var all = await Fetch(reader, null);
        var since = await Fetch(reader, v1);

        Assert.Equal(v1 + 1, v2);
        Assert.Equal(v2, all.Version);
        var full = FeatureLibrary.Empty.Apply(FeatureText.ParseDelta(all.Delta));
        Assert.Equal(v2, full.Version);
        Assert.Contains(full.Features, f => f.Feature.Name == first && f.AddedIn == v1);
        Assert.Contains(full.Features, f => f.Feature.Name == second && f.AddedIn == v2);
        var delta = FeatureText.ParseDelta(since.Delta);
        Assert.Equal((v1, v2), (delta.From, delta.To));
        Assert.Equal(second, Assert.Single(delta.Added).Feature.Name);
        Assert.Empty(FeatureText.ParseDelta((await Fetch(reader, v2)).Delta).Added);
        Assert.Equal(all.Delta, (await Fetch(reader, 0)).Delta);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999")]
    public async Task A_bad_since_is_refused(string since)
    {
        var user = await _api.NewUser();

        await Api.AssertProblem(await user.Http.GetAsync($"{Library}?since={since}"), HttpStatusCode.BadRequest, ProblemCodes.RequestInvalid);
    }

    [Fact]
    public async Task A_since_beyond_the_current_version_is_refused()
    {
        var user = await _api.NewUser();
        var current = (await Fetch(user, null)).Version;

        var detail = await Api.AssertProblem(await user.Http.GetAsync($"{Library}?since={current + 1}"), HttpStatusCode.BadRequest, ProblemCodes.RequestInvalid);

        Assert.Contains($"0 to {current}", detail);
    }

    [Fact]
    public async Task An_operator_imports_clamav_body_signatures_and_skipped_lines_are_listed()
    {
        var op = fixture.Operator;
        var name = Unique("Ndb");
        var ndb = $"{name}:0:*:3c3f706870\n{Unique("Other")}:1:*:4d5a9000\n";

        var result = await Import(op, "rules.ndb", ndb);

        Assert.Equal(1, result.Added);
        Assert.Equal(2, Assert.Single(result.Skipped).Line);
        var feature = await PublishedFeature(op, name);
        Assert.Equal("bytes any 3c3f706870", FeatureText.FormatSignature(feature.Signature));
        Assert.Equal(result.Version, (await Fetch(op, null)).Version);
    }

    [Fact]
    public async Task An_operator_imports_clamav_sha256_hashes()
    {
        var op = fixture.Operator;
        var name = Unique("Hsb");
        var hex = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
        var md5 = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(name)));

        var result = await Import(op, "hashes.hsb", $"{hex}:41:{name}\n{md5}:41:{Unique("Md5")}\n");

        Assert.Equal((1, 2), (result.Added, Assert.Single(result.Skipped).Line));
        var feature = await PublishedFeature(op, name);
        Assert.Equal(new HashSignature(HashTarget.File, hex, 41), feature.Signature);
    }

    [Fact]
    public async Task Someone_not_an_operator_is_refused_and_nothing_is_published()
    {
        var user = await _api.NewUser();
        var before = await StoredVersions();

        await Api.AssertProblem(await Api.PostJson(user.Http, Library, new ImportFeaturesRequest("x.txt", ParleyText(BytesLine(Unique("No"), "4142")))),
            HttpStatusCode.Forbidden, ProblemCodes.ScanOperatorOnly);

        Assert.Equal(before, await StoredVersions());
    }

    [Fact]
    public async Task A_bad_line_is_refused_with_its_number_and_nothing_is_published()
    {
        var op = fixture.Operator;
        var before = await StoredVersions();
        var text = ParleyText(BytesLine(Unique("Good"), "4142"), $"feature 1 {Unique("Bad")} bytes any zz A bad pattern");

        var detail = await Api.AssertProblem(await Api.PostJson(op.Http, Library, new ImportFeaturesRequest("bad.txt", text)),
            HttpStatusCode.BadRequest, ProblemCodes.ScanInvalidFeatures);

        Assert.StartsWith("Line 4:", detail);
        Assert.Equal(before, await StoredVersions());
    }

    [Fact]
    public async Task A_clamav_line_that_is_no_signature_is_refused_with_its_number()
    {
        var op = fixture.Operator;
        var before = await StoredVersions();

        var detail = await Api.AssertProblem(await Api.PostJson(op.Http, Library, new ImportFeaturesRequest("x.ndb", $"{Unique("Ok")}:0:*:4142\nnot a signature\n")),
            HttpStatusCode.BadRequest, ProblemCodes.ScanInvalidFeatures);

        Assert.StartsWith("Line 2:", detail);
        Assert.Equal(before, await StoredVersions());
    }

    [Fact]
    public async Task Concurrent_imports_publish_distinct_versions_and_lose_nothing()
    {
        var op = fixture.Operator;
        var start = (await Fetch(op, null)).Version;
        var names = Enumerable.Range(0, 6).Select(i => Unique($"Race{i}")).ToList();

        var results = await Task.WhenAll(names.Select(name => Import(op, "r.txt", ParleyText(BytesLine(name, "5051")))));

        Assert.Equal(Enumerable.Range(1, names.Count).Select(i => start + i), results.Select(r => r.Version).Order());
        var library = FeatureLibrary.Empty.Apply(FeatureText.ParseDelta((await Fetch(op, null)).Delta));
        Assert.All(names, name => Assert.Contains(library.Features, f => f.Feature.Name == name));
    }

    [Fact]
    public async Task A_version_another_node_published_is_served()
    {
        var user = await _api.NewUser();
        var current = FeatureLibrary.Empty.Apply(FeatureText.ParseDelta((await Fetch(user, null)).Delta));
        var name = Unique("Elsewhere");
        var next = current.With([FeatureText.ParseLibrary(ParleyText(BytesLine(name, "6061"))).Features[0].Feature]);
        await _api.InDatabase(async db =>
        {
            db.FeatureLibraryVersions.Add(new FeatureLibraryVersion
            {
                Version = next.Version, Delta = FeatureText.Write(next.DeltaSince(current.Version)), PublishedBy = "other-node", PublishedAt = DateTimeOffset.UtcNow,
            });
            return await db.SaveChangesAsync();
        });

        var fetched = await Fetch(user, current.Version);

        Assert.Equal(next.Version, fetched.Version);
        Assert.Equal(name, Assert.Single(FeatureText.ParseDelta(fetched.Delta).Added).Feature.Name);
    }

    [Fact]
    public async Task Connected_users_are_told_of_a_new_version()
    {
        var op = fixture.Operator;
        var listener = await _api.NewUser();
        // Registered, so counted as connected, before the version is published.
        await using var connection = await _api.ConnectRegistered(listener);
        var updates = Api.Listen<LibraryUpdatedEvent>(connection, LibraryEvents.LibraryUpdated);
        var name = Unique("Live");

        var result = await Import(op, "live.txt", ParleyText(BytesLine(name, "7071")));

        var update = await updates.Reader.ReadAsync().AsTask().Within();
        Assert.Equal((result.Version, result.Version - 1), (update.Version, update.From));
        var delta = FeatureText.ParseDelta(update.Delta);
        Assert.Equal((update.From, update.Version), (delta.From, delta.To));
        Assert.Equal(name, Assert.Single(delta.Added).Feature.Name);
    }

    [Fact]
    public async Task A_blank_operator_name_stops_the_server_from_starting()
    {
        var refused = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            Parley.Testing.RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Operators:0"] = " " }));

        Assert.Contains("Parley:Operators", refused.Message);
    }

    private static async Task<ImportFeaturesResult> Import(TestUser op, string fileName, string text) =>
        await Api.Read<ImportFeaturesResult>(await Api.PostJson(op.Http, Library, new ImportFeaturesRequest(fileName, text)));

    private static async Task<FeatureLibraryDto> Fetch(TestUser user, long? since) =>
        await Api.Read<FeatureLibraryDto>(await user.Http.GetAsync(since is null ? Library : $"{Library}?since={since}"));

    private static async Task<Feature> PublishedFeature(TestUser user, string name)
    {
        var library = FeatureLibrary.Empty.Apply(FeatureText.ParseDelta((await Fetch(user, null)).Delta));
        return Assert.Single(library.Features, f => f.Feature.Name == name).Feature;
    }

    private Task<long> StoredVersions() => _api.InDatabase(db => db.FeatureLibraryVersions.LongCountAsync());

    private static string Unique(string prefix) => $"Test.{prefix}.{Guid.NewGuid():N}";

    private static string ParleyText(params string[] lines) => $"parley-features 1\nversion 1\n{string.Join('\n', lines)}\n";

    private static string BytesLine(string name, string hex) => $"feature 1 {name} bytes any {hex} Test feature {name}";
}
