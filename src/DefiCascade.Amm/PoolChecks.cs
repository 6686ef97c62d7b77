using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Amm;

internal static class PoolChecks
{
    /// <summary>A snapshot names its tokens by symbol; the tokens passed in must be those, in pool order.</summary>
    public static void RequireTokens(PoolSnapshot s, Token t0, Token t1)
    {
        ArgumentNullException.ThrowIfNull(t0);
        ArgumentNullException.ThrowIfNull(t1);
        if (!string.Equals(s.Token0, t0.Symbol, StringComparison.Ordinal) || !string.Equals(s.Token1, t1.Symbol, StringComparison.Ordinal))
        {
            throw new ArgumentException($"pool {s.Address} holds {s.Token0}/{s.Token1}, not {t0.Symbol}/{t1.Symbol}");
        }
    }
}
