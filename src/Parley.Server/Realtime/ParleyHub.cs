using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Parley.Server.Realtime;

/// <summary>
/// The live channel. Clients only listen: everything that changes state goes through the HTTP API,
/// which checks it, stores it, then tells the members here. Events are addressed to users (not to
/// connection groups), so a membership change takes effect for the very next event, on every node.
/// </summary>
[Authorize]
public sealed class ParleyHub : Hub;
