using Parley.Client.Transfer;

namespace Parley.Client.Tests.Transfer;

public sealed class ResumeStoreTests : IDisposable
{
    private readonly TestFiles _files = new();

    [Fact]
    public void Entries_are_kept_per_server_content_and_target_until_removed()
    {
        var store = new FileUploadResumeStore(_files.PathOf("uploads"));
        var key = new UploadResumeKey(new Uri("http://127.0.0.1:5080/"), "sha256:" + new string('a', 64), "to:bob");
        var entry = new UploadResumeEntry("t_1", "/api/uploads/up_1");

        Assert.Null(store.Find(key));
        store.Remove(key);
        store.Save(key, entry);

        Assert.Equal(entry, new FileUploadResumeStore(store.Directory).Find(key));
        Assert.Null(store.Find(key with { Target = "to:carol" }));
        Assert.Null(store.Find(key with { Server = new Uri("http://127.0.0.1:5081/") }));
        store.Remove(key);
        Assert.Null(store.Find(key));
        store.Remove(key);
    }

    [Fact]
    public void A_damaged_entry_is_forgotten()
    {
        var store = new FileUploadResumeStore(_files.PathOf("uploads"));
        var key = new UploadResumeKey(new Uri("http://127.0.0.1:5080/"), "sha256:" + new string('b', 64), "room:r_1");
        store.Save(key, new UploadResumeEntry("t_2", "/api/uploads/up_2"));
        var file = Assert.Single(Directory.GetFiles(store.Directory));
        File.WriteAllText(file, "{\"key\": tru");

        Assert.Null(store.Find(key));
        Assert.Empty(Directory.GetFiles(store.Directory));
    }

    public void Dispose() => _files.Dispose();
}
