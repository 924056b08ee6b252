using System.Security.Cryptography;
using Parley.Core.Passphrase;
using Parley.Testing;

namespace Parley.Bench.Passphrase;

/// <summary>
/// Complete handshakes per second through the relay, beside what the handshake would cost without
/// the passphrase (one P-256 ECDH per side) and its parts measured alone (scrypt, SPAKE2's point arithmetic).
/// </summary>
internal static class HandshakeBench
{
    private const string Passphrase = "correct-horse-battery-staple";

    public static async Task RunAsync(RunningServer server, Report report, TimeSpan budget)
    {
        var ecdh = Throughput.Measure(budget, EcdhBothSides);
        var secret = PassphraseSecret.Derive(Passphrase, "alice", "bob");
        var spake2 = Throughput.Measure(budget, () => Spake2BothSides(secret, secret));
        var scrypt = Throughput.Measure(budget, () => PassphraseSecret.Derive(Passphrase, "alice", "bob"));
        var local = Throughput.Measure(budget, () => Spake2BothSides(PassphraseSecret.Derive(Passphrase, "alice", "bob"), PassphraseSecret.Derive(Passphrase, "alice", "bob")));
        Console.WriteLine($"in-process: ECDH {Report.Rate(ecdh.PerSecond)}, SPAKE2 {Report.Rate(spake2.PerSecond)}, scrypt {Report.Rate(scrypt.PerSecond)}");

        const int concurrent = 8;
        var pairs = new List<(Party Alice, Party Bob)>();
        for (var i = 0; i < concurrent; i++)
            pairs.Add((await Party.SignUpAsync(server, $"hs-alice-{i}"), await Party.SignUpAsync(server, $"hs-bob-{i}")));
        try
        {
            var sequential = await Throughput.MeasureAsync(budget, 1, worker => HandshakeAsync(pairs[worker]));
            Console.WriteLine($"relay, sequential: {Report.Rate(sequential.PerSecond)}");
            var parallel = await Throughput.MeasureAsync(budget, concurrent, worker => HandshakeAsync(pairs[worker]));
            Console.WriteLine($"relay, {concurrent} concurrent: {Report.Rate(parallel.PerSecond)}");

            report.Section("(a) Handshakes",
                "One handshake = both sides derive w with scrypt, run SPAKE2 (P-256), exchange and check key confirmations " +
                "and open the channel. Through the relay that is 4 HTTP calls (`GET /api/me`, start, answer, confirm) and 4 live " +
                "events (the request to B, the answer to A, \"connected\" to both), each step stored in SQLite.",
                ["what", "handshakes/s", "mean", "p95", "time vs. baseline"],
                [
                    Row("baseline: one P-256 ECDH per side (`ECDiffieHellman`), no passphrase, no relay", ecdh, ecdh),
                    Row("SPAKE2 both sides in process, w precomputed (BouncyCastle point arithmetic)", spake2, ecdh),
                    Row("scrypt alone, one derivation of w (N = 2^15, r = 8, p = 1)", scrypt, ecdh),
                    Row("whole handshake in process: 2 × scrypt + SPAKE2, no relay", local, ecdh),
                    Row("whole handshake through the relay, one pair after another", sequential, ecdh),
                    Row($"whole handshake through the relay, {concurrent} pairs at once", parallel, ecdh),
                ]);
            var scryptShare = 2 * scrypt.Mean.TotalMilliseconds / sequential.Mean.TotalMilliseconds;
            report.Paragraph(
                $"scrypt's share: two derivations ({Report.Duration(2 * scrypt.Mean)}) of a sequential handshake's {Report.Duration(sequential.Mean)}, " +
                $"{scryptShare:P0}. That is by design: w is memory-hard so that a captured w costs an offline guesser the same per guess. " +
                $"SPAKE2's arithmetic adds {Report.Duration(spake2.Mean)} and the relay (HTTP, SQLite, SignalR) the rest. " +
                $"With {concurrent} pairs at once the {Environment.ProcessorCount} CPUs are the limit: scrypt is CPU- and memory-bound.");
        }
        finally
        {
            foreach (var (alice, bob) in pairs)
            {
                await alice.DisposeAsync();
                await bob.DisposeAsync();
            }
        }
    }

    private static async Task HandshakeAsync((Party Alice, Party Bob) pair) => (await pair.Alice.ConnectAsync(pair.Bob, Passphrase)).Dispose();

    private static void EcdhBothSides()
    {
        using var a = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var b = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        a.DeriveRawSecretAgreement(b.PublicKey);
        b.DeriveRawSecretAgreement(a.PublicKey);
    }

    private static void Spake2BothSides(PassphraseSecret secretA, PassphraseSecret secretB)
    {
        var a = Spake2.Start(Spake2Role.A, secretA);
        var b = Spake2.Start(Spake2Role.B, secretB);
        var confirmationB = b.Finish(a.Share);
        var confirmationA = a.Finish(b.Share);
        confirmationA.VerifyPeer(confirmationB.OwnConfirmation);
        confirmationB.VerifyPeer(confirmationA.OwnConfirmation);
    }

    private static string[] Row(string what, Throughput measured, Throughput baseline) =>
    [
        what, Report.Rate(measured.PerSecond), Report.Duration(measured.Mean), Report.Duration(measured.Percentile(0.95)),
        Report.Ratio(measured.Mean / baseline.Mean),
    ];
}
