using Parley.Client.Transfer;

namespace Parley.Client.Tests.Transfer;

/// <summary>Keeps every progress report, in order, on the reporting thread.</summary>
internal sealed class Collect(List<TransferProgress> reports) : IProgress<TransferProgress>
{
    public void Report(TransferProgress value)
    {
        lock (reports) reports.Add(value);
    }
}
