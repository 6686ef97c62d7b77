using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Lending.AaveV3;

namespace DefiCascade.Simulation.Synthetic;

/// <summary>One point of the static curve: an instant ETH move and what it makes liquidatable.</summary>
/// <param name="EthMoveBps">ETH/USD move in bps (negative = down); wstETH follows, BTC moves 0.7x, stables stay.</param>
/// <param name="DebtShare">Share of total debt (USD at the unshocked oracle prices) held by accounts with HF &lt; 1 after the move.</param>
/// <param name="AccountShare">Share of accounts with HF &lt; 1 after the move.</param>
public sealed record CurvePoint(int EthMoveBps, double DebtShare, double AccountShare);

/// <summary>
/// Calibration target of one curve point, as a share of total debt, and the band the default book
/// must land in: 0.6x to 1.6x of the target, wide for a single seed's noise and event-base
/// uncertainty, tight enough that a book 2x too fragile (or too safe) fails.
/// </summary>
public sealed record CurveTarget(int EthMoveBps, double Share, string Evidence)
{
    public double Low => Share * 0.6;

    public double High => Share * 1.6;
}

/// <summary>
/// The "static liquidatable-debt curve" the default book is calibrated to (fixtures/README.md):
/// every oracle price is shocked at once and each account's health factor is recomputed with the
/// protocol's own integer accounting, with no cascade, no time and no user reaction.
/// </summary>
public static class StaticLiquidationCurve
{
    /// <summary>ETH moves of the calibration, in bps: the public events sit at -17%, -30% and -34% (MARKET-FACTS §7).</summary>
    public static readonly int[] EthMovesBps = [-1_000, -1_700, -2_000, -3_000, -3_500, -5_000];

    /// <summary>BTC moves this fraction of ETH's move (bps of bps): BTC fell less than ETH in each cited event.</summary>
    public const int BtcBetaBps = 7_000;

    /// <summary>
    /// Targets derived in fixtures/README.md: 2 x repaid / Core stablecoin debt ($7.53B, MARKET-FACTS §2),
    /// times the book's stablecoin share of debt (0.422; loops are not hit by an ETH/USD move),
    /// plus the 1/10-scale Trend Research long (1.85% of debt) once ETH falls past -18%.
    /// </summary>
    public static readonly CurveTarget[] Targets =
    [
        new(-1_000, 0.0020, "no isolated event: -17% point scaled back at the 2024-08-04 proxy rate (x2.9 per 8 points)"),
        new(-1_700, 0.0051, "2024-04-13 ETH -17%: $46M repaid on Ethereum"),
        new(-2_000, 0.0254, "log-interpolated between -17% and -30%, plus the Trend whale (HF 1.22)"),
        new(-3_000, 0.0371, "2025-02-03 ETH -30%: $166M repaid on Core, plus the whale"),
        new(-3_500, 0.0398, "2024-08-05 ETH -34%: ~$190M repaid on Ethereum (75% of $253M), plus the whale"),
        new(-5_000, 0.1760, "no event: -34% point extrapolated at the 2024-08-04 proxy rate, plus the whale"),
    ];

    public static IReadOnlyList<CurvePoint> Of(MarketSnapshot snapshot) => Of(snapshot, EthMovesBps);

    public static IReadOnlyList<CurvePoint> Of(MarketSnapshot snapshot, IReadOnlyList<int> ethMovesBps)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(ethMovesBps);
        var book = snapshot.AaveV3Markets[0];
        var tokens = snapshot.Tokens.ToDictionary(t => t.Symbol, t => new Token(t.Symbol, t.Address, t.Decimals));
        var market = AaveV3Market.FromSnapshot(book, s => tokens[s]);
        var accounts = book.Positions.Select(p => AaveAccount.FromSnapshot(p, market)).ToArray();
        var basePrices = market.Reserves.Select(r => snapshot.Oracles.Single(o => o.Asset == r.Token.Symbol).Answer).ToArray();

        // Debt is weighted at the unshocked prices so every point shares one denominator.
        var start = new ArrayPriceOracle(basePrices);
        var debts = accounts.Select(a => AaveV3Accounting.CalculateUserAccountData(market, a, start).TotalDebtBase).ToArray();
        var total = debts.Aggregate(BigInteger.Zero, (x, y) => x + y);

        var points = new List<CurvePoint>(ethMovesBps.Count);
        foreach (var move in ethMovesBps)
        {
            var oracle = new ArrayPriceOracle(ShockedPrices(snapshot, market, basePrices, move));
            BigInteger crossing = 0;
            var count = 0;
            for (var i = 0; i < accounts.Length; i++)
            {
                if (AaveV3Accounting.CalculateUserAccountData(market, accounts[i], oracle).Liquidatable)
                {
                    crossing += debts[i];
                    count++;
                }
            }

            points.Add(new CurvePoint(
                move,
                total.IsZero ? 0 : (double)crossing / (double)total,
                accounts.Length == 0 ? 0 : (double)count / accounts.Length));
        }

        return points;
    }

    /// <summary>
    /// Oracle prices after the move, rounded down like a feed answer. A derived feed (wstETH) is
    /// recomputed from its shocked base, since Aave prices it as exchange rate x ETH/USD.
    /// </summary>
    private static BigInteger[] ShockedPrices(MarketSnapshot snapshot, AaveV3Market market, BigInteger[] basePrices, int ethMoveBps)
    {
        var btcMoveBps = ethMoveBps * BtcBetaBps / 10_000;
        BigInteger Shock(OracleFeedSnapshot feed) => feed.Asset switch
        {
            MarketCatalog.Weth => feed.Answer * (10_000 + ethMoveBps) / 10_000,
            MarketCatalog.Wbtc => feed.Answer * (10_000 + btcMoveBps) / 10_000,
            _ => feed.Answer,
        };

        var feeds = snapshot.Oracles.ToDictionary(o => o.Asset);
        var prices = new BigInteger[basePrices.Length];
        for (var r = 0; r < prices.Length; r++)
        {
            var feed = feeds[market.Reserves[r].Token.Symbol];
            prices[r] = feed is { BaseAsset: { } baseAsset, RatioWad: { } ratio }
                ? Shock(feeds[baseAsset]) * ratio / Core.Math.WadRayMath.Wad
                : Shock(feed);
        }

        return prices;
    }
}
