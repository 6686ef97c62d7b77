using System.Numerics;
using DefiCascade.Amm;
using DefiCascade.Amm.V3;
using DefiCascade.Chain.Testing;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Client;

namespace DefiCascade.Chain.Tests.Snapshot;

/// <summary>
/// What the snapshot tests read, on a node started from the 2,000-borrower Aave crowd: Uniswap V3 WETH/USDC (fee 3000)
/// and WBTC/USDC (fee 500) pools over the Aave market's own tokens, each with many positions (so many initialized
/// ticks), a V2 DAI/USDC pair, Multicall3 at its canonical address, and two Morpho Blue markets with borrowers.
/// </summary>
public sealed record SnapshotWorld(
    AaveWorld Aave,
    Address Provider,
    V3Pool WethUsdc,
    V3Pool WbtcUsdc,
    V2Pair DaiUsdc,
    IReadOnlyList<int> WethUsdcTicks,
    IReadOnlyList<int> WbtcUsdcTicks,
    MorphoWorld Morpho,
    IReadOnlyList<MorphoMarket> MorphoMarkets,
    ulong MorphoFromBlock)
{
    private static readonly BigInteger Huge = BigInteger.Pow(10, 40);

    public static async Task<SnapshotWorld> BuildAsync(AnvilNode node, AaveWorld aave, IReadOnlyList<Address> accounts)
    {
        var world = await ChainWorld.GetAsync();
        await Multicall3Deployment.PlaceAsync(node.Eth);
        var provider = (Address)(await aave.Pool.CallAsync("ADDRESSES_PROVIDER"))[0];
        var trader = Address.FromNumber(0x5AA95107, 1);
        await node.Eth.SetBalanceAsync(trader, BigInteger.Pow(10, 24));
        Contract Token(string symbol) => aave.Assets[aave.IndexOf(symbol)].Token;
        foreach (var symbol in new[] { "USDC", "WBTC", "WETH", "DAI" })
        {
            await Token(symbol).SendWithGasAsync(trader, AaveWorld.Gas, "mint(uint256)", Huge);
        }

        var v3 = V3World.Attach(node.Eth, accounts[0], world.V3);
        var (wethUsdc, wethTicks) = await PoolAsync(v3, trader, Token("WETH"), Token("USDC"), 3000, 3000m, 18, 6, 24, BigInteger.Pow(10, 21));
        var (wbtcUsdc, wbtcTicks) = await PoolAsync(v3, trader, Token("WBTC"), Token("USDC"), 500, 60000m, 8, 6, 16, BigInteger.Pow(10, 10));
        var v2 = V2World.Attach(node.Eth, accounts[0], world.V2);
        var pair = await v2.CreatePairForTokensAsync(trader, Token("DAI"), Token("USDC"));
        var daiFirst = pair.Token0.Address == Token("DAI").Address;
        var (dai, usdc) = (BigInteger.Pow(10, 18 + 7), BigInteger.Pow(10, 6 + 7));
        await V2World.AddLiquidityAsync(pair, daiFirst ? dai : usdc, daiFirst ? usdc : dai);

        var morpho = MorphoWorld.Attach(node.Eth, accounts[0], world.Morpho);
        var fromBlock = (await morpho.LatestBlockAsync()).Number + 1;
        var markets = new List<MorphoMarket>();
        var random = new Random(7);
        foreach (var row in new[] { 2, 3 })
        {
            var spec = MorphoWorld.MarketSpecs[row];
            var m = await morpho.CreateMarketAsync(MorphoWorld.ToWad(spec.Lltv), spec.Irm, MorphoWorld.ToWad(spec.Fee), MorphoWorld.OraclePrice(2.0, spec.LoanDecimals, spec.CollateralDecimals), spec.LoanDecimals, spec.CollateralDecimals);
            await morpho.SupplyAsync(m, accounts[3], BigInteger.Pow(10, 9 + m.LoanDecimals));
            for (var i = 0; i < 12; i++)
            {
                var collateral = BigInteger.Pow(10, m.CollateralDecimals) * random.Next(10, 1000);
                // borrow 30-80% of what the collateral is worth in loan units (price 2 loan per collateral).
                var borrow = collateral * 2 * BigInteger.Pow(10, m.LoanDecimals) / BigInteger.Pow(10, m.CollateralDecimals) * random.Next(30, 80) / 100;
                await morpho.OpenPositionAsync(m, Address.FromNumber(0x5AA95200 + (ulong)row, (ulong)i + 1), collateral, borrow);
            }

            markets.Add(m);
        }

        return new SnapshotWorld(aave, provider, wethUsdc, wbtcUsdc, pair, wethTicks, wbtcTicks, morpho, markets, fromBlock);
    }

    /// <summary>A V3 pool at <paramref name="usdPerBase"/> quote units per base token, with nested ranges around the price.</summary>
    private static async Task<(V3Pool Pool, IReadOnlyList<int> Ticks)> PoolAsync(
        V3World v3, Address trader, Contract baseToken, Contract quoteToken, int fee, decimal usdPerBase, int baseDecimals, int quoteDecimals, int ranges, BigInteger baseUnitsPerRange)
    {
        var baseIs0 = string.CompareOrdinal(baseToken.Address.Hex, quoteToken.Address.Hex) < 0;
        var quoteRaw = new BigInteger(usdPerBase) * BigInteger.Pow(10, quoteDecimals);
        var baseRaw = BigInteger.Pow(10, baseDecimals);
        var sqrt = baseIs0 ? PoolPricing.SqrtPriceX96FromRatio(quoteRaw, baseRaw) : PoolPricing.SqrtPriceX96FromRatio(baseRaw, quoteRaw);
        var pool = await v3.CreatePoolForTokensAsync(trader, baseToken, quoteToken, fee, sqrt);
        var spacing = pool.TickSpacing;
        var tick = TickMath.GetTickAtSqrtRatio(sqrt);
        var center = tick / spacing * spacing;
        var ticks = new SortedSet<int>();
        var quotePerRange = baseUnitsPerRange * quoteRaw / baseRaw;
        for (var k = 1; k <= ranges; k++)
        {
            var lower = center - (k * k * 3 * spacing);
            var upper = center + (k * (k + 1) * 2 * spacing);
            var (a0, a1) = baseIs0 ? (baseUnitsPerRange, quotePerRange) : (quotePerRange, baseUnitsPerRange);
            await v3.MintAsync(pool, lower, upper, a0, a1);
            ticks.Add(lower);
            ticks.Add(upper);
        }

        return (pool, ticks.ToArray());
    }
}
