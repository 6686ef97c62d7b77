using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Simulation.Synthetic;

/// <summary>
/// The fixed part of the default market: tokens, prices, oracles, Aave reserves and e-mode.
/// Risk parameters as of 2026-03, see MARKET-FACTS §1; every value names its source key.
/// </summary>
internal static class MarketCatalog
{
    public const string Weth = "WETH";
    public const string WstEth = "wstETH";
    public const string Wbtc = "WBTC";
    public const string Usdc = "USDC";
    public const string Usdt = "USDT";
    public const string Dai = "DAI";

    public const long BlockNumber = 24_400_000;

    // 2026-02-05T00:00:00Z: the day MARKET-FACTS §7 quotes ETH at ~$2,150; the block is synthetic.
    public const long BlockTimestamp = 1_770_249_600;

    public static readonly BigInteger EthUsd = 2_150_00000000;

    // Assumption: MARKET-FACTS gives no BTC level; ~$75k is typical of Feb-2026 after the late-January drawdown.
    public static readonly BigInteger BtcUsd = 75_000_00000000;

    public static readonly BigInteger OneUsd = 1_00000000;

    // stETH per wstETH; MARKET-FACTS §4 cites 1.19-1.23 around the CAPO mis-sync.
    public static readonly BigInteger WstEthRatioWad = 1_220_000_000_000_000_000;

    public static readonly BigInteger WstEthUsd = EthUsd * WstEthRatioWad / BigInteger.Pow(10, 18);

    public static readonly Address AavePool = Address.Parse("0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2");

    public static IReadOnlyDictionary<string, string> Sources(MarketGeneratorOptions o) => new Dictionary<string, string>
    {
        ["mainnet-addresses"] = "Canonical Ethereum mainnet token contracts (WETH9, Lido wstETH, WBTC, Circle USDC, Tether USDT, MakerDAO DAI) and the Aave V3 Core Pool proxy",
        ["mf-aave-params"] = "MARKET-FACTS §1: APV3 reports/AaveV3Ethereum_UpgradeAaveV3ETHPooolWETHParameters_20231031_after.json (2023-10) and APV3 diffs to 2026-01 (wstETH borrowing disabled 2026-01-27, DAI LTV 0 on 2025-12-03); parameters as of 2026-03",
        ["mf-aave-emode"] = "MARKET-FACTS §1 E-modes: ETH-correlated id 1, LTV 93% / LT 95% / bonus 1%, WETH the only borrowable asset since 2025-05-19",
        ["mf-aave-aggregates"] = "MARKET-FACTS §2: aavescan Core aggregates (USDT 5.00B borrowed 2026-01-29, USDC 2.53B 2026-03-26)",
        ["mf-kaiko-users"] = "MARKET-FACTS §2: Kaiko 'Mapping the Aave user base' 2025-08-18 (~1/3 of accounts < $10k, 26% $100k-1M, 11% > $1M; large users near LT, > 70% of small users high HF)",
        ["mf-trend-research"] = "MARKET-FACTS §2: Trend Research loop peaked ~601k ETH vs ~$958M stablecoin debt (Lookonchain via CryptoSlate, 2026-02); included at 1/10 scale",
        ["mf-eth-price"] = "MARKET-FACTS §7: ETH ~$2,150 on 2026-02-05 (GOV ...02-02-26/23986 and press)",
        ["assumption-btc-price"] = "assumed: BTC/USD $75,000 (MARKET-FACTS gives no BTC level for early 2026)",
        ["assumption-stables"] = "assumed: USDC, USDT, DAI at $1.00000000 (no depeg at the snapshot)",
        ["mf-capo"] = "MARKET-FACTS §4: Aave prices wstETH as stETH-per-wstETH x ETH/USD (bgd-labs/aave-capo); ratio 1.22 assumed within the 1.19-1.23 cited there",
        ["mf-chainlink"] = "MARKET-FACTS §4: Chainlink ETH/USD 0.5%/3600 s, BTC/USD 0.5%/3600 s [?], USDC and USDT 0.25%/86400 s, DAI 0.25%/3600 s [?], all 8 decimals",
        ["assumption-caps"] = "assumed: supply and borrow caps not modelled (0 = no cap); they move weekly (MARKET-FACTS §1) and do not bind a liquidation",
        ["mf-uniswap-fees"] = "MARKET-FACTS §3: fee tiers 100/500/3000/10000 with tick spacing 1/10/60/200 (v3-core UniswapV3Factory; 1-bp tier by governance 2021)",
        ["mf-uniswap-depth"] = "MARKET-FACTS §3: Uniswap Labs 2022-05-05 'a $5M ETH trade ~ 0.5% impact' on v3 ETH/USD; calibrated on the WETH/USDC 0.05% book",
        ["mf-uniswap-tvl"] = "MARKET-FACTS §3: USDC/WETH 0.05% TVL ~ $100.6M (how2claude.com, ~Apr-2026)",
        ["mf-stable-ticks"] = "MARKET-FACTS §3: most USDC/USDT liquidity within ~6 ticks (1-bp fee proposal, 2021)",
        ["mf-kaiko-symmetry"] = "MARKET-FACTS §3: Kaiko Sep-2023, v3 liquidity 'surprisingly symmetric' around the price",
        ["pool-addresses"] = "Uniswap pool addresses as used across public code (subgraph queries, routers); not verified on-chain here (MARKET-FACTS §3 gap)",
        ["assumption-pool-tvl"] = "assumed: TVL of pools other than USDC/WETH 0.05% (MARKET-FACTS §3: per-pool depth and TVL not found)",
        ["assumption-v2-reserves"] = "assumed: Uniswap V2 USDC/WETH reserves of $15M per side",
        ["generator"] = $"DefaultMarketGenerator seed {o.Seed}, {o.Positions} accounts, {o.LpPositionsPerPool} LP positions per V3 pool (src/DefiCascade.Simulation/Synthetic; distribution in fixtures/README.md)",
        ["synthetic-block"] = "synthetic block number and timestamp (2026-02-05T00:00:00Z), not a mainnet block",
    };

    public static SnapshotToken[] Tokens() =>
    [
        new(Weth, Address.Parse("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2"), 18, "mainnet-addresses"),
        new(WstEth, Address.Parse("0x7f39C581F595B53c5cb19bD0b3f8dA6c935E2Ca0"), 18, "mainnet-addresses"),
        new(Wbtc, Address.Parse("0x2260FAC5E5542a773Aa44fBCfeDf7C193bc2C599"), 8, "mainnet-addresses"),
        new(Usdc, Address.Parse("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"), 6, "mainnet-addresses"),
        new(Usdt, Address.Parse("0xdAC17F958D2ee523a2206206994597C13D831ec7"), 6, "mainnet-addresses"),
        new(Dai, Address.Parse("0x6B175474E89094C44Da98b954EedeAC495271d0F"), 18, "mainnet-addresses"),
    ];

    /// <summary>External prices at the start equal the oracle answers: no oracle lag at t = 0.</summary>
    public static MarketPrice[] Prices() =>
    [
        new(Weth, EthUsd, 8, "mf-eth-price"),
        new(WstEth, WstEthUsd, 8, "mf-eth-price,mf-capo"),
        new(Wbtc, BtcUsd, 8, "assumption-btc-price"),
        new(Usdc, OneUsd, 8, "assumption-stables"),
        new(Usdt, OneUsd, 8, "assumption-stables"),
        new(Dai, OneUsd, 8, "assumption-stables"),
    ];

    public static OracleFeedSnapshot[] Oracles() =>
    [
        new(Weth, "chainlink", EthUsd, 8, 50, 3_600, null, null, "mf-chainlink,mf-eth-price"),
        // Derived feeds publish when their base does, so they carry the base's trigger.
        new(WstEth, "derived", WstEthUsd, 8, 50, 3_600, Weth, WstEthRatioWad, "mf-capo"),
        new(Wbtc, "chainlink", BtcUsd, 8, 50, 3_600, null, null, "mf-chainlink,assumption-btc-price"),
        new(Usdc, "chainlink", OneUsd, 8, 25, 86_400, null, null, "mf-chainlink"),
        new(Usdt, "chainlink", OneUsd, 8, 25, 86_400, null, null, "mf-chainlink"),
        new(Dai, "chainlink", OneUsd, 8, 25, 3_600, null, null, "mf-chainlink"),
    ];

    public static AaveReserveSnapshot[] Reserves() =>
    [
        Reserve(Weth, 8_050, 8_300, 10_500, 1_000, 1_500, 1, true),
        // Borrowing disabled 2026-01-27 (MARKET-FACTS §1 footnote 2); still collateral.
        Reserve(WstEth, 7_850, 8_100, 10_600, 1_000, 3_500, 1, false),
        Reserve(Wbtc, 7_300, 7_800, 10_500, 1_000, 5_000, 0, true),
        // USDC protocol fee 20% is the 2023 value flagged [?] in MARKET-FACTS.
        Reserve(Usdc, 7_500, 7_800, 10_450, 2_000, 1_000, 0, true),
        Reserve(Usdt, 7_500, 7_800, 10_450, 1_000, 1_000, 0, true),
        // LTV 0 since 2025-12-03: DAI still counts at 77% LT but supports no new borrowing.
        Reserve(Dai, 0, 7_700, 10_500, 2_000, 2_500, 0, true),
    ];

    public static EModeCategorySnapshot[] EModes() => [new(1, "ETH correlated", 9_300, 9_500, 10_100, null, "mf-aave-emode")];

    private static AaveReserveSnapshot Reserve(string asset, int ltv, int lt, int bonus, int fee, int reserveFactor, int eMode, bool borrowing) =>
        new(asset, ltv, lt, bonus, fee, reserveFactor, eMode, true, borrowing, true, false, false, 0, 0, "mf-aave-params,assumption-caps");
}
