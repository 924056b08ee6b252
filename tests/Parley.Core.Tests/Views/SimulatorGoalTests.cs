using Parley.Bench.Views;
using Parley.Core.Views;

namespace Parley.Core.Tests.Views;

/// <summary>
/// A small run of the simulator (bench/Parley.Bench.Views) under the default rules: a rule change that lets a bot
/// strategy of issue 10 through, or starts refusing honest viewers, fails here before anyone runs the benchmark.
/// </summary>
public sealed class SimulatorGoalTests
{
    private const int Seed = 7;
    private static readonly ViewRules Rules = new();

    public static TheoryData<string> Honest() => [.. Profile.HonestPopulations.Select(p => p.Name)];

    public static TheoryData<string> Bots() => [.. Profile.BotStrategies.Where(p => !p.Name.Contains("beyond", StringComparison.Ordinal)).Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(Honest))]
    public void Honest_viewers_are_almost_never_illegal(string population)
    {
        var result = Simulation.RunPopulation(Profile.HonestPopulations.Single(p => p.Name == population), Rules, 40, Seed);
        Assert.Equal(40, result.Records.Records);
        // 0.5 % of 40 records is less than one: any illegal honest record in this sample fails.
        Assert.True(result.Records.Illegal == 0, $"{population}: {string.Join(", ", result.Records.Reasons)}");
    }

    [Fact]
    public void Honest_viewers_who_watch_to_the_end_count()
    {
        var result = Simulation.RunPopulation(Profile.HonestPopulations[0], Rules, 40, Seed);
        Assert.Equal(40, result.Records.Counted);
    }

    [Theory]
    [MemberData(nameof(Bots))]
    public void Every_bot_strategy_is_illegal(string strategy)
    {
        var result = Simulation.RunPopulation(Profile.BotStrategies.Single(p => p.Name == strategy), Rules, 24, Seed);
        Assert.True(result.Records.Records >= 24);
        Assert.Equal(result.Records.Records, result.Records.Illegal);
        Assert.Equal(0, result.Records.Counted);
        if (result.Genuine is { } genuine) Assert.Equal(0, genuine.Illegal);   // the group's one real play stays legal
    }
}
