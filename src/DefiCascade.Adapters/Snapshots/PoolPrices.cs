using System.Globalization;
using System.Numerics;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Adapters.Snapshots;

/// <summary>
/// USD prices for pool tokens that no oracle prices (the simulator needs an external price for every pool token):
/// the pool's spot price against a token that has one, in integers. Tokens are priced in rounds, so a token two pools
/// away from a priced one is reached too; one that never meets a priced token is an error naming the pool.
/// </summary>
internal static class PoolPrices
{
    private static readonly BigInteger Q192 = BigInteger.One << 192;

    public static string SourceKey(ulong block) => "rpc " + block.ToString(CultureInfo.InvariantCulture) + " pool-spot";

    public static (IReadOnlyList<MarketPrice> Prices, IReadOnlyList<string> Notes) Derive(
        TokenTable tokens, IReadOnlyList<MarketPrice> known, IReadOnlyList<PoolSnapshot> pools, ulong block)
    {
        var priced = known.ToDictionary(p => p.Asset, StringComparer.Ordinal);
        var added = new List<MarketPrice>();
        var notes = new List<string>();
        bool progress;
        do
        {
            progress = false;
            foreach (var pool in pools)
            {
                foreach (var (target, anchor) in new[] { (pool.Token0, pool.Token1), (pool.Token1, pool.Token0) })
                {
                    if (priced.ContainsKey(target) || !priced.TryGetValue(anchor, out var anchorPrice))
                    {
                        continue;
                    }

                    var answer = Spot(pool, target == pool.Token0, anchorPrice.UsdAnswer, Decimals(tokens, pool.Token0), Decimals(tokens, pool.Token1));
                    if (answer.Sign <= 0)
                    {
                        continue;
                    }

                    var price = new MarketPrice(target, answer, anchorPrice.Decimals, SourceKey(block));
                    priced[target] = price;
                    added.Add(price);
                    notes.Add($"{target} from pool {pool.Address.Hex} against {anchor}");
                    progress = true;
                }
            }
        }
        while (progress);

        foreach (var pool in pools)
        {
            foreach (var symbol in new[] { pool.Token0, pool.Token1 })
            {
                if (!priced.ContainsKey(symbol))
                {
                    throw new InvalidOperationException(
                        $"pool {pool.Address.Hex}: token {symbol} has no USD price (no oracle prices it and no pool read pairs it with a priced token, or the pool is empty); add a pool against a priced token");
                }
            }
        }

        return (added, notes);
    }

    private static int Decimals(TokenTable tokens, string symbol) =>
        tokens.BySymbol(symbol)?.Decimals ?? throw new InvalidOperationException($"token {symbol} is not in the snapshot's tokens");

    /// <summary>
    /// answer0 = answer1 x (token1 base units per token0 base unit) x 10^dec0 / 10^dec1, and the inverse for token1;
    /// V3's ratio is sqrtPriceX96^2 / 2^192, V2's reserve1 / reserve0. Floored: the price of a whole token in the
    /// anchor's decimals.
    /// </summary>
    private static BigInteger Spot(PoolSnapshot pool, bool priceToken0, BigInteger anchorAnswer, int dec0, int dec1)
    {
        var (num, den) = pool switch
        {
            UniswapV3PoolSnapshot v3 => (v3.SqrtPriceX96 * v3.SqrtPriceX96, Q192),
            UniswapV2PoolSnapshot v2 => (v2.Reserve1, v2.Reserve0),
            _ => (BigInteger.Zero, BigInteger.One),
        };
        if (num.IsZero || den.IsZero)
        {
            return BigInteger.Zero;
        }

        // unbounded BigInteger (sqrtPriceX96^2 alone can pass 2^256); all operands are positive, so division floors.
        return priceToken0
            ? BigInteger.Divide(anchorAnswer * num * BigInteger.Pow(10, dec0), den * BigInteger.Pow(10, dec1))
            : BigInteger.Divide(anchorAnswer * den * BigInteger.Pow(10, dec1), num * BigInteger.Pow(10, dec0));
    }
}
