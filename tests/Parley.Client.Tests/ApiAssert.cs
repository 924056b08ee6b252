namespace Parley.Client.Tests;

internal static class ApiAssert
{
    /// <summary>Asserts that the call is refused with the given status and stable problem code.</summary>
    public static async Task<ParleyApiException> Refused(int status, string code, Func<Task> call)
    {
        var refusal = await Assert.ThrowsAsync<ParleyApiException>(call);
        Assert.Equal(code, refusal.Code);
        Assert.Equal(status, refusal.Status);
        Assert.False(string.IsNullOrWhiteSpace(refusal.Detail));
        return refusal;
    }
}
