using System.CommandLine;
using Parley.Cli.Session;
using Parley.Cli.Views;
using Parley.Client.Views;
using Parley.Core.Views;

namespace Parley.Cli.Commands;

/// <summary><c>watch</c>: play a video so that it counts as a view; <c>views</c>: a video's count and, for its sender, its records.</summary>
public static class ViewCommands
{
    /// <summary>The exit code of a play whose record is not legal (1 stays "the command failed", 2 a blocked share).</summary>
    public const int Illegal = 3;

    public static IEnumerable<Command> Create() => [Watch(), Views()];

    private static Argument<string> Media() =>
        new("media") { Description = "The id of the message that carries the video (m_…)." };

    private static Command Watch()
    {
        var media = Media();
        var command = new Command("watch",
            "Play a video sent to a room you are in, in real time and without a picture: the stream is downloaded a few seconds " +
            "ahead of the position, and the reports the server asks for are sent on time, signed and sealed with a key agreed for " +
            "this play. Prints the play's verdict (with --json its record); exits 0 when legal, 3 when illegal.") { media };
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            using var client = cli.SignedInClient();
            using var key = cli.CurrentAccount().ReadKey()
                ?? throw new CliException(ViewText.NoDevice, $"This install has no device key for {cli.RequireSession().UserName}: run 'parley login' again.");
            client.Views.DeviceKey = key;
            client.Views.Pins = new FileViewKeyPinStore(cli.Home.ViewKeyPinPath(cli.Server));
            var record = await WatchDisplay.RunAsync(cli.Output, progress => client.Views.WatchAsync(parse.GetValue(media)!, progress: progress, ct: ct));
            cli.Output.Result(record, ViewText.WriteVerdict);
            return record.Verdict == PlayVerdicts.Legal ? 0 : Illegal;
        }, ClientCommand.JsonDescription);
    }

    private static Command Views()
    {
        var media = Media();
        var records = new Option<bool>("--records")
        {
            Description = "Also list every play of the video with its verdict and reasons (for the video's sender and operators).",
        };
        var command = new Command("views", "Show how many views a video has: plays that passed every check and watched enough of it.") { media, records };
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            using var client = cli.SignedInClient();
            var id = parse.GetValue(media)!;
            var count = await client.Views.GetViewsAsync(id, ct);
            if (!parse.GetValue(records))
            {
                cli.Output.Result(count, ViewText.WriteCount);
                return;
            }
            var list = await client.Views.GetRecordsAsync(id, ct);
            cli.Output.Result(new ViewsWithRecords(count.Media, count.ContentId, count.Views, count.OpenPlays, list.Records), ViewText.WriteRecords);
        });
    }
}
