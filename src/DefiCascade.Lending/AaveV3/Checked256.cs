using System.Numerics;
using DefiCascade.Core.Math;

namespace DefiCascade.Lending.AaveV3;

/// <summary>Solidity 0.8 checked uint256 arithmetic: where the contract reverts on overflow or underflow, this throws.</summary>
internal static class Checked256
{
    public static BigInteger Mul(BigInteger a, BigInteger b) => UInt256.Check(a * b, "uint256 product");

    public static BigInteger Add(BigInteger a, BigInteger b) => UInt256.Check(a + b, "uint256 sum");

    public static BigInteger Sub(BigInteger a, BigInteger b) => UInt256.Check(a - b, "uint256 difference");
}
