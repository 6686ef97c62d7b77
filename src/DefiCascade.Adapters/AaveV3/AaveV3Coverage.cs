using System.Globalization;
using System.Numerics;

namespace DefiCascade.Adapters.AaveV3;

/// <summary>
/// What one reserve's positions in the snapshot hold against the protocol's totals at the block: collateral captured
/// (balances used as collateral by the kept accounts) against the aToken's totalSupply, debt captured against variable
/// plus stable debt totalSupply; in base units and in the oracle's base currency (USD with 8 decimals on mainnet).
/// </summary>
public sealed record AaveV3ReserveCoverage(
    string Asset,
    BigInteger CollateralCaptured,
    BigInteger Supplied,
    BigInteger DebtCaptured,
    BigInteger Borrowed,
    BigInteger CollateralCapturedBase,
    BigInteger SuppliedBase,
    BigInteger DebtCapturedBase,
    BigInteger BorrowedBase);

/// <summary>The snapshot's share of the market: accounts (discovered, read, kept, dropped and why) and dollars per reserve.</summary>
public sealed record AaveV3Coverage(
    ulong Block,
    int UsersDiscovered,
    int UsersRead,
    int UsersWithDebt,
    int DroppedSupplyOnly,
    int DroppedEmpty,
    int BaseCurrencyDecimals,
    IReadOnlyList<AaveV3ReserveCoverage> Reserves)
{
    public BigInteger DebtCapturedBase => Sum(r => r.DebtCapturedBase);

    public BigInteger BorrowedBase => Sum(r => r.BorrowedBase);

    public BigInteger CollateralCapturedBase => Sum(r => r.CollateralCapturedBase);

    public BigInteger SuppliedBase => Sum(r => r.SuppliedBase);

    /// <summary>One paragraph for origin.coverage: never sampled silently.</summary>
    public string Describe()
    {
        var perReserve = string.Join(
            "; ",
            Reserves.Select(r => $"{r.Asset} debt {Percent(r.DebtCaptured, r.Borrowed)}, collateral {Percent(r.CollateralCaptured, r.Supplied)}"));
        return $"At block {Block.ToString(CultureInfo.InvariantCulture)}: {Count(UsersWithDebt)} accounts with debt kept of {Count(UsersRead)} read "
            + $"({Count(UsersDiscovered)} discovered); dropped without debt: {Count(DroppedSupplyOnly)} supplying only, {Count(DroppedEmpty)} empty. "
            + $"Debt captured {Usd(DebtCapturedBase)} of {Usd(BorrowedBase)} borrowed ({Percent(DebtCapturedBase, BorrowedBase)}); "
            + $"collateral used by the kept accounts {Usd(CollateralCapturedBase)} of {Usd(SuppliedBase)} supplied ({Percent(CollateralCapturedBase, SuppliedBase)}), "
            + $"at AaveOracle prices. Per reserve: {perReserve}.";
    }

    /// <summary>Amount times price over the token's unit, floored as Aave converts to its base currency.</summary>
    public static BigInteger ToBase(BigInteger amount, BigInteger price, int decimals) => amount * price / BigInteger.Pow(10, decimals);

    private BigInteger Sum(Func<AaveV3ReserveCoverage, BigInteger> f) => Reserves.Aggregate(BigInteger.Zero, (s, r) => s + f(r));

    private string Usd(BigInteger baseAmount)
    {
        // whole dollars, floored: the paragraph is for reading; the numbers stay exact in the record.
        var dollars = baseAmount / BigInteger.Pow(10, BaseCurrencyDecimals);
        return "$" + dollars.ToString("N0", CultureInfo.InvariantCulture);
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>One decimal, floored; "n/a" when the protocol total is zero.</summary>
    private static string Percent(BigInteger part, BigInteger whole)
    {
        if (whole.IsZero)
        {
            return "n/a";
        }

        var tenths = part * 1000 / whole;
        return (tenths / 10).ToString(CultureInfo.InvariantCulture) + "." + (tenths % 10).ToString(CultureInfo.InvariantCulture) + "%";
    }
}
