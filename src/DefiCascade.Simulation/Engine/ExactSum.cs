using System.Numerics;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// A sum of integers without a BigInteger per term: a 128-bit term, or a BigInteger one that fits 127 bits, adds
/// in 128 bits (a carry past them goes to the BigInteger); other terms (negative, or wider) add to the BigInteger.
/// Exact: <see cref="Value"/> is the sum of every term (OutcomeTallyTests hold it to BigInteger sums past 128 bits).
/// </summary>
internal struct ExactSum
{
    private static readonly BigInteger Carry = BigInteger.One << 128;
    private UInt128 _low;
    private BigInteger _rest;

    public readonly BigInteger Value => _rest + _low;

    public void Add(BigInteger value)
    {
        if (value.Sign < 0 || value.GetBitLength() > 127)
        {
            _rest += value;
            return;
        }

        Add((UInt128)value);
    }

    public void Add(UInt128 value)
    {
        var sum = unchecked(_low + value);
        if (sum < _low)
        {
            _rest += Carry;
        }

        _low = sum;
    }
}
