namespace DefiCascade.Core.Primitives;

/// <summary>An ERC-20 token: its symbol, address and decimals.</summary>
public sealed record Token(string Symbol, Address Address, int Decimals)
{
    public System.Numerics.BigInteger Unit => Math.UInt256.Pow10(Decimals);

    public override string ToString() => Symbol;
}
