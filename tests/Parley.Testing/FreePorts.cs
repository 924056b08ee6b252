using System.Net;
using System.Net.Sockets;

namespace Parley.Testing;

/// <summary>
/// Ports for servers that must know an address before they start (nodes that name each other, a server
/// process started by a test). Asking the OS for port 0 is not enough: it answers from the ephemeral range,
/// from which every outgoing connection of the parallel tests also takes its local port, so the port can be
/// taken between the pick and the bind (CI saw "address already in use"). These ports come from below the
/// ephemeral range instead, are checked free, and are never handed out twice by this process.
/// </summary>
public static class FreePorts
{
    private const int Lowest = 20000;
    private static readonly HashSet<int> Given = [];
    private static readonly int EphemeralStart = ReadEphemeralStart();

    public static int Next()
    {
        lock (Given)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(Lowest, EphemeralStart);
                if (Given.Contains(port) || !IsFree(port)) continue;
                Given.Add(port);
                return port;
            }
        }
        throw new InvalidOperationException($"No free loopback port between {Lowest} and {EphemeralStart}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException) { return false; }
    }

    /// <summary>Linux's <c>ip_local_port_range</c> start (32768 by default); that default elsewhere.</summary>
    private static int ReadEphemeralStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        var start = File.Exists(range) && int.TryParse(File.ReadAllText(range).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0], out var first) ? first : 32768;
        return Math.Max(start, Lowest + 1000);
    }
}
