using System.Net;
using System.Text.Json;
using Parley.Core.Json;
using Parley.Core.Problems;
using Parley.Core.Scanning;
using Parley.Core.Transfer;
using Parley.Server.Storage;

namespace Parley.Server.Tests.Scanning;

/// <summary>
/// The operators' views: verdicts (rows written here directly, as the share path writes them), quarantines, and
/// <c>/api/scanning/me</c>; who may read what, and the limits.
/// </summary>
public sealed class OperatorViewTests(LibraryFixture fixture) : IClassFixture<LibraryFixture>
{
    private readonly Api _api = fixture.Api;

    [Fact]
    public async Task Operators_read_verdicts_newest_first_with_names_findings_and_timings()
    {
        var (alice, bob) = (await _api.NewUser(), await _api.NewUser());
        var content = ContentId.Of(Guid.NewGuid().ToByteArray()).ToString();
        // Later than anything other tests store, so that these are the newest.
        var at = DateTimeOffset.UtcNow.AddDays(1);
        var blocked = await StoreVerdict(alice, content, at, new ScanFinding(ScanFindingCodes.DataAfterEnd, "png", "42 bytes follow the IEND chunk."));
        var passed = await StoreVerdict(bob, content, at.AddSeconds(1));
        var other = await StoreVerdict(alice, ContentId.Of(Guid.NewGuid().ToByteArray()).ToString(), at.AddSeconds(2));

        var ofContent = await Verdicts(fixture.Operator, $"?contentId={content}");
        var newest = await Verdicts(fixture.Operator, "?limit=2");

        Assert.Equal([passed, blocked], ofContent.Select(v => v.Id));
        var first = ofContent[1];
        Assert.Equal((alice.Name, content, false, "d_test", "x.png", "image/png", 7L), (first.UserName, first.ContentId, first.Passed, first.DeviceId, first.FileName, first.MediaType, first.LibraryVersion));
        Assert.Equal(ScanFindingCodes.DataAfterEnd, Assert.Single(first.Findings).Code);
        Assert.Equal(new DetectorTiming("structure", 1.5), Assert.Single(first.Timings));
        Assert.Equal(at.ToUnixTimeMilliseconds(), first.At.ToUnixTimeMilliseconds());
        Assert.True(ofContent[0].Passed);
        Assert.Equal(bob.Name, ofContent[0].UserName);
        Assert.Equal([other, passed], newest.Select(v => v.Id));
    }

    [Fact]
    public async Task Each_user_reads_only_their_own_verdicts()
    {
        var (alice, bob) = (await _api.NewUser(), await _api.NewUser());
        var content = ContentId.Of(Guid.NewGuid().ToByteArray()).ToString();
        var older = await StoreVerdict(alice, content, DateTimeOffset.UtcNow);
        await StoreVerdict(bob, content, DateTimeOffset.UtcNow.AddSeconds(1));
        var newer = await StoreVerdict(alice, content, DateTimeOffset.UtcNow.AddSeconds(2));

        var mine = await Verdicts(alice, "/mine");

        Assert.Equal([newer, older], mine.Select(v => v.Id));
        Assert.All(mine, v => Assert.Equal(alice.Name, v.UserName));
        Assert.Empty(await Verdicts(await _api.NewUser(), "/mine"));
    }

    [Theory]
    [InlineData("/api/scanning/verdicts")]
    [InlineData("/api/scanning/quarantines")]
    public async Task Someone_not_an_operator_is_refused_the_operator_views(string path)
    {
        var user = await _api.NewUser();

        await Api.AssertProblem(await user.Http.GetAsync(path), HttpStatusCode.Forbidden, ProblemCodes.ScanOperatorOnly);
    }

    [Theory]
    [InlineData("/api/scanning/verdicts?limit=0")]
    [InlineData("/api/scanning/verdicts?limit=501")]
    [InlineData("/api/scanning/verdicts?limit=-3")]
    [InlineData("/api/scanning/verdicts?contentId=sha256:zz")]
    [InlineData("/api/scanning/verdicts/mine?limit=0")]
    [InlineData("/api/scanning/verdicts/mine?limit=100000")]
    [InlineData("/api/scanning/quarantines?limit=0")]
    [InlineData("/api/scanning/quarantines?limit=501")]
    public async Task A_bad_limit_or_content_id_is_refused(string path)
    {
        await Api.AssertProblem(await fixture.Operator.Http.GetAsync(path), HttpStatusCode.BadRequest, ProblemCodes.RequestInvalid);
    }

    [Fact]
    public async Task Me_says_whether_the_caller_is_an_operator()
    {
        Assert.True((await Api.Read<ScanningAccountDto>(await fixture.Operator.Http.GetAsync("/api/scanning/me"))).Operator);
        Assert.False((await Api.Read<ScanningAccountDto>(await (await _api.NewUser()).Http.GetAsync("/api/scanning/me"))).Operator);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.Server.CreateHttpClient().GetAsync("/api/scanning/me")).StatusCode);
    }

    private static async Task<List<ScanVerdictDto>> Verdicts(TestUser user, string query) =>
        await Api.Read<List<ScanVerdictDto>>(await user.Http.GetAsync($"/api/scanning/verdicts{query}"));

    private Task<string> StoreVerdict(TestUser user, string contentId, DateTimeOffset at, params ScanFinding[] findings) =>
        _api.InDatabase(async db =>
        {
            var id = $"v_{Guid.NewGuid():N}";
            db.ScanVerdicts.Add(new ScanVerdict
            {
                Id = id, ContentId = contentId, UserId = user.Id, DeviceId = "d_test", FileName = "x.png", MediaType = "image/png",
                LibraryVersion = 7, Passed = findings.Length == 0, CreatedAt = at,
                Findings = JsonSerializer.Serialize(findings, ParleyJson.Options),
                Timings = JsonSerializer.Serialize(new[] { new DetectorTiming("structure", 1.5) }, ParleyJson.Options),
            });
            await db.SaveChangesAsync();
            return id;
        });
}
