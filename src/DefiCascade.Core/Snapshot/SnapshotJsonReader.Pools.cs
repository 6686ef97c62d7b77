using System.Numerics;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Core.Snapshot;

internal sealed partial class SnapshotJsonReader
{
    // UniswapV3Factory: fee tiers and their tick spacings (the 1-bp tier added by governance in 2021).
    private static readonly Dictionary<int, int> TickSpacingByFee = new() { [100] = 1, [500] = 10, [3000] = 60, [10000] = 200 };

    private const int MinTick = -887272;
    private const int MaxTick = 887272;

    private List<PoolSnapshot> ReadPools(JsonNodeReader list)
    {
        var pools = new List<PoolSnapshot>();
        var addresses = new HashSet<Address>();
        foreach (var node in list.Items())
        {
            var kindNode = node.Child("kind");
            var kind = kindNode.String();
            var addressNode = node.Child("address");
            var address = addressNode.Address();
            if (!addresses.Add(address))
            {
                throw addressNode.Error($"duplicate pool address {address}");
            }

            var token0 = PoolToken(node.Child("token0"));
            var token1Node = node.Child("token1");
            var token1 = PoolToken(token1Node);
            if (token0 == token1)
            {
                throw token1Node.Error($"token1 equals token0 '{token0}'");
            }

            pools.Add(kind switch
            {
                "uniswap-v2" => ReadV2(node, address, token0, token1),
                "uniswap-v3" => ReadV3(node, address, token0, token1),
                _ => throw kindNode.Error($"unknown pool kind '{kind}' (expected \"uniswap-v2\" or \"uniswap-v3\")"),
            });
        }

        return pools;
    }

    private string PoolToken(JsonNodeReader node)
    {
        var asset = Asset(node);
        return _priced.Contains(asset) ? asset : throw node.Error($"pool token '{asset}' has no market price");
    }

    private UniswapV2PoolSnapshot ReadV2(JsonNodeReader node, Address address, string token0, string token1)
    {
        node.AllowOnly("kind", "address", "token0", "token1", "reserve0", "reserve1", "source");
        return new UniswapV2PoolSnapshot(address, token0, token1, node.Child("reserve0").Unsigned(), node.Child("reserve1").Unsigned(), ReadSource(node));
    }

    private UniswapV3PoolSnapshot ReadV3(JsonNodeReader node, Address address, string token0, string token1)
    {
        node.AllowOnly(
            "kind", "address", "token0", "token1", "fee", "tickSpacing", "sqrtPriceX96", "tick", "liquidity",
            "tickBookLower", "tickBookUpper", "ticks", "source");
        var feeNode = node.Child("fee");
        var fee = feeNode.Int(0, 1_000_000);
        if (!TickSpacingByFee.TryGetValue(fee, out var expectedSpacing))
        {
            throw feeNode.Error($"fee {fee} is not a Uniswap V3 tier (100, 500, 3000, 10000)");
        }

        var spacingNode = node.Child("tickSpacing");
        var spacing = spacingNode.Int(1, 16_384);
        if (spacing != expectedSpacing)
        {
            throw spacingNode.Error($"tickSpacing {spacing} does not match fee {fee} (expected {expectedSpacing})");
        }

        var sqrtPrice = node.Child("sqrtPriceX96").Positive();
        var tick = node.Child("tick").Int(MinTick, MaxTick);
        var liquidityNode = node.Child("liquidity");
        var liquidity = liquidityNode.Unsigned();
        var lower = node.Optional("tickBookLower")?.Int(MinTick, MaxTick);
        var upper = node.Optional("tickBookUpper")?.Int(MinTick, MaxTick);
        var ticksNode = node.Child("ticks");
        var ticks = ReadTicks(ticksNode, spacing);

        // Only a complete book must balance: a book read within [lower, upper] misses the other ends.
        if (lower is null && upper is null)
        {
            var total = BigInteger.Zero;
            var active = BigInteger.Zero;
            foreach (var t in ticks)
            {
                total += t.LiquidityNet;
                if (t.Index <= tick)
                {
                    active += t.LiquidityNet;
                }
            }

            if (!total.IsZero)
            {
                throw ticksNode.Error($"liquidityNet over the book sums to {total}, expected 0");
            }

            if (active != liquidity)
            {
                throw liquidityNode.Error($"{liquidity} differs from the sum of liquidityNet of ticks <= {tick} ({active})");
            }
        }

        return new UniswapV3PoolSnapshot(address, token0, token1, fee, spacing, sqrtPrice, tick, liquidity, ticks, lower, upper, ReadSource(node));
    }

    private static List<TickSnapshot> ReadTicks(JsonNodeReader list, int spacing)
    {
        var ticks = new List<TickSnapshot>();
        foreach (var node in list.Items())
        {
            node.AllowOnly("index", "liquidityNet", "liquidityGross");
            var indexNode = node.Child("index");
            var index = indexNode.Int(MinTick, MaxTick);
            if (index % spacing != 0)
            {
                throw indexNode.Error($"tick {index} is not a multiple of tickSpacing {spacing}");
            }

            if (ticks.Count > 0 && index <= ticks[^1].Index)
            {
                throw indexNode.Error($"ticks must be strictly ascending ({index} after {ticks[^1].Index})");
            }

            var net = node.Child("liquidityNet").Signed();
            var grossNode = node.Child("liquidityGross");
            var gross = grossNode.Unsigned();
            if (BigInteger.Abs(net) > gross)
            {
                throw grossNode.Error($"liquidityGross {gross} is below |liquidityNet| {BigInteger.Abs(net)}");
            }

            ticks.Add(new TickSnapshot(index, net, gross));
        }

        return ticks;
    }
}
