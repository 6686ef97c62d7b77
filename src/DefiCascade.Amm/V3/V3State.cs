using System.Numerics;

namespace DefiCascade.Amm.V3;

/// <summary>The mutable part of a V3 pool: slot0 price and tick, active liquidity, and token balances.</summary>
internal readonly record struct V3State(BigInteger SqrtPriceX96, int Tick, BigInteger Liquidity, BigInteger Balance0, BigInteger Balance1);
