using System.Security.Cryptography;
using Parley.Core.Scanning.Identifier;
using Parley.Core.Transfer;
using Parley.Testing.Scanning;

namespace Parley.EndToEnd.Tests.Scanning;

/// <summary><c>parley scan FILE</c>: the local verdict, as a person and a script see it.</summary>
public sealed class ScanCliTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"parley-e2e-data-{Guid.NewGuid():N}");
    private readonly string _files = Directory.CreateTempSubdirectory("parley-e2e-scan-").FullName;
    private readonly List<IDisposable> _cleanup = [];

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_files, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public async Task A_clean_file_passes_and_a_malicious_one_is_refused_with_its_reasons()
    {
        // No server is needed: the scan is local. Nothing listens on this address.
        var user = Track(new CliUser("scanner", new Uri($"http://127.0.0.1:{FreePorts.Next()}/")));
        var png = MediaSamples.Png(30, 20);

        var passed = (await user.RunAsync("scan", Write("clean.png", png), "--json")).Succeeded().Json();
        Assert.True(passed.GetProperty("passed").GetBoolean());
        Assert.Equal(ContentId.Of(png).ToString(), passed.GetProperty("contentId").GetString());
        Assert.Equal(0, passed.GetProperty("libraryVersion").GetInt64());
        Assert.Equal(0, passed.GetProperty("findings").GetArrayLength());

        var refused = await user.RunAsync("scan", Write("cat.jpg", MediaSamples.Html), "--type", "image/jpeg", "--json");
        Assert.True(refused.ExitCode == 2, refused.ToString());
        var verdict = refused.Json();
        Assert.False(verdict.GetProperty("passed").GetBoolean());
        var finding = Assert.Single(verdict.GetProperty("findings").EnumerateArray());
        Assert.Equal("type.mismatch", finding.GetProperty("code").GetString());
        Assert.Contains("HTML", finding.GetProperty("detail").GetString());

        var human = await user.RunAsync("scan", Write("holiday.png", [.. png, .. MediaSamples.ShellScript]));
        Assert.Equal(2, human.ExitCode);
        Assert.Contains("Refused", human.StdOut);
        Assert.Contains("(data.after_end)", human.StdOut);
        Assert.Contains("(embedded.script)", human.StdOut);

        (await user.RunAsync("scan", Path.Combine(_files, "missing.png"), "--json")).FailedWith("client.file_error");
    }

    [Fact]
    public async Task The_local_library_and_the_device_key_are_used_when_there()
    {
        var server = Track(await ServerProcess.StartAsync(FreePorts.Next(), _data));
        var user = Track(new CliUser("signer", server.Address));
        (await user.RegisterAsync()).Succeeded();
        var png = MediaSamples.Png();
        var libraryPath = Path.Combine(user.Home, "features", $"http-127.0.0.1-{server.Address.Port}.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(libraryPath)!);
        await File.WriteAllTextAsync(libraryPath, "parley-features 1\nversion 4\nfeature 4 Parley.Test.Tag bytes any 3c3f706870 PHP code\n");

        var passed = (await user.RunAsync("scan", Write("clean.png", png), "--json")).Succeeded().Json();
        Assert.Equal(4, passed.GetProperty("libraryVersion").GetInt64());
        using var key = ECDsa.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(Directory.GetFiles(user.Home, "device-key.pem", SearchOption.AllDirectories).Single()));
        var check = new IdentifierVerifier(TimeProvider.System, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1))
            .Verify(passed.GetProperty("identifier").GetString(), key, ContentId.Of(png), minimumLibraryVersion: 4);
        Assert.Equal(IdentifierStatus.Valid, check.Status);

        var refused = await user.RunAsync("scan", Write("tagged.png", MediaSamples.Png(16, 16, ("tEXt", "c\0<?php system($_GET[1]);"u8.ToArray()))), "--json");
        Assert.Equal(2, refused.ExitCode);
        var verdict = refused.Json();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, verdict.GetProperty("identifier").ValueKind);
        Assert.Contains(verdict.GetProperty("findings").EnumerateArray(),
            f => f.GetProperty("code").GetString() == "feature.match" && f.GetProperty("detail").GetString()!.Contains("Parley.Test.Tag"));

        await File.WriteAllTextAsync(libraryPath, "parley-features 1\nversion 4\nbroken line\n");
        (await user.RunAsync("scan", Write("again.png", png), "--json")).FailedWith("client.corrupt_state");
    }

    [Fact]
    public async Task An_operator_import_reaches_another_users_scan()
    {
        var server = Track(await ServerProcess.StartAsync(FreePorts.Next(), _data, "--Parley:Operators:0", "operator"));
        var operatorUser = Track(new CliUser("operator", server.Address));
        var other = Track(new CliUser("other", server.Address));
        (await operatorUser.RegisterAsync()).Succeeded();
        (await other.RegisterAsync()).Succeeded();
        // "Parley-E2E" in ASCII, anywhere in a file (target type 0).
        var ndb = Write("parley.ndb", "E2E.Marker:0:*:5061726c65792d453245\n"u8.ToArray());

        (await other.RunAsync("features", "import", ndb, "--json")).FailedWith("scan.operator_only");
        var imported = (await operatorUser.RunAsync("features", "import", ndb, "--json")).Succeeded().Json();
        Assert.Equal((1, 1), (imported.GetProperty("version").GetInt64(), imported.GetProperty("added").GetInt64()));

        var synced = (await other.RunAsync("features", "--json")).Succeeded().Json();
        Assert.Equal((1, 1), (synced.GetProperty("version").GetInt64(), synced.GetProperty("features").GetInt64()));
        var carrier = MediaSamples.Png(16, 16, ("tEXt", "c\0Parley-E2E"u8.ToArray()));
        var refused = await other.RunAsync("scan", Write("carrier.png", carrier), "--json");
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains(refused.Json().GetProperty("findings").EnumerateArray(),
            f => f.GetProperty("code").GetString() == "feature.match" && f.GetProperty("detail").GetString()!.Contains("E2E.Marker"));
        (await other.RunAsync("scan", Write("clean.png", MediaSamples.Png()), "--json")).Succeeded();
    }

    private T Track<T>(T disposable) where T : IDisposable
    {
        _cleanup.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        foreach (var item in _cleanup) item.Dispose();
        Directory.Delete(_files, recursive: true);
        try { Directory.Delete(_data, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
