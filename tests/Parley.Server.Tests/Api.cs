using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Accounts;
using Parley.Core.Json;
using Parley.Core.Realtime;
using Parley.Core.Rooms;
using Parley.Server.Storage;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>A signed-in test user: its name, ids, an HttpClient that carries its token, and the device key its session was issued for.</summary>
/// <remarks><see cref="Device"/> is null only for users made by <see cref="Api.NewUserWithoutDevice"/>.</remarks>
public sealed record TestUser(string Name, string Id, string Token, HttpClient Http, TestDevice Device);

/// <summary>Raw HTTP helpers: these tests speak the wire protocol directly, as any client would.</summary>
public sealed class Api(RunningServer server)
{
    public const string Password = "correct horse battery";

    public RunningServer Server => server;

    public static string UniqueName(string prefix = "user") => $"{prefix}{Guid.NewGuid().ToString("N")[..10]}";

    public Task<TestUser> NewUser(string prefix = "user") => NamedUser(UniqueName(prefix));

    /// <summary>A user whose session has no device yet, as right after signing in with a password (tests of devices and sessions).</summary>
    public Task<TestUser> NewUserWithoutDevice(string prefix = "user") => NamedUser(UniqueName(prefix), withDevice: false);

    /// <summary>Registers and signs in a user of this exact name (e.g. one the server's settings name), with a registered device key unless told.</summary>
    public async Task<TestUser> NamedUser(string name, bool withDevice = true)
    {
        var anonymous = server.CreateHttpClient();
        var registered = await anonymous.PostAsJsonAsync("/api/accounts", new RegisterRequest(name, Password), ParleyJson.Options);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var session = await SignIn(name);
        var http = server.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
        return new TestUser(name, session.UserId, session.Token, http, withDevice ? await TestDevice.RegisterAsync(server, http, session.UserId) : null!);
    }

    public async Task<SessionDto> SignIn(string name, string? deviceId = null)
    {
        var response = await server.CreateHttpClient().PostAsJsonAsync("/api/sessions", new SignInRequest(name, Password, deviceId), ParleyJson.Options);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SessionDto>(ParleyJson.Options))!;
    }

    public async Task<RoomDto> NewRoom(TestUser owner, params TestUser[] members)
    {
        var room = await Read<RoomDto>(await owner.Http.PostAsJsonAsync("/api/rooms", new CreateRoomRequest("Room " + UniqueName()), ParleyJson.Options), HttpStatusCode.Created);
        foreach (var member in members)
        {
            Assert.Equal(HttpStatusCode.Created, (await owner.Http.PostAsJsonAsync($"/api/rooms/{room.Id}/invitations", new InviteRequest(member.Name), ParleyJson.Options)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await member.Http.PostAsync($"/api/rooms/{room.Id}/join", null)).StatusCode);
        }
        return room;
    }

    /// <summary>The user's token on this API's server, for a user who signed in at another node of the same deployment.</summary>
    public HttpClient As(TestUser user)
    {
        var http = server.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        return http;
    }

    public static Task<HttpResponseMessage> PostJson(HttpClient http, string path, object body) =>
        http.PostAsync(path, JsonContent.Create(body, body.GetType(), options: ParleyJson.Options));

    /// <summary>Posts a raw body, for inputs no well-behaved serializer would produce.</summary>
    public static Task<HttpResponseMessage> PostRaw(HttpClient http, string path, string body, string contentType = "application/json") =>
        http.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));

    public static async Task<T> Read<T>(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {expected}, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, ParleyJson.Options)!;
    }

    /// <summary>Asserts an RFC 9457 answer with the given status and stable code, and returns its detail.</summary>
    public static async Task<string?> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(code, json.RootElement.GetProperty("code").GetString());
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
        return json.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : null;
    }

    public async Task<HubConnection> ConnectLive(TestUser user)
    {
        var connection = LiveConnection(user);
        await connection.StartAsync();
        return connection;
    }

    /// <summary>
    /// A live connection the server has registered: its user's own presence event came, so from now on every event to the
    /// user reaches it. <paramref name="listen"/> adds handlers before it starts (an event sent at once is otherwise missed).
    /// </summary>
    public async Task<HubConnection> ConnectRegistered(TestUser user, Action<HubConnection>? listen = null)
    {
        var connection = LiveConnection(user);
        listen?.Invoke(connection);
        var presence = Listen<PresenceEvent>(connection, LiveEvents.Presence);
        await connection.StartAsync();
        PresenceEvent seen;
        do seen = await presence.Reader.ReadAsync().AsTask().Within();
        while (!seen.Online || seen.UserId != user.Id);
        return connection;
    }

    private HubConnection LiveConnection(TestUser user) => new HubConnectionBuilder()
        .WithUrl(new Uri(server.BaseAddress, LiveEvents.HubPath), o => o.AccessTokenProvider = () => Task.FromResult<string?>(user.Token))
        .AddJsonProtocol(o => ParleyJson.Configure(o.PayloadSerializerOptions))
        .Build();

    /// <summary>Collects one live event type as it arrives, for the test to read in order.</summary>
    public static System.Threading.Channels.Channel<T> Listen<T>(HubConnection connection, string method)
    {
        var channel = System.Threading.Channels.Channel.CreateUnbounded<T>();
        connection.On<T>(method, item => channel.Writer.TryWrite(item));
        return channel;
    }

    /// <summary>Reads the stored rows directly, to prove a refused request changed nothing.</summary>
    public async Task<T> InDatabase<T>(Func<ParleyDbContext, Task<T>> query)
    {
        using var scope = server.Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<ParleyDbContext>());
    }
}

public static class Waiting
{
    /// <summary>Awaits a live event, failing the test instead of hanging when it never comes.</summary>
    public static async Task<T> Within<T>(this Task<T> task, int seconds = 10)
    {
        var finished = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(seconds)));
        Assert.True(finished == task, "The expected live event did not arrive.");
        return await task;
    }
}
