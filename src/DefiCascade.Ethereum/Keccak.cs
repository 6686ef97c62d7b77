using DefiCascade.Core.Primitives;

namespace DefiCascade.Ethereum;

/// <summary>Keccak-256 as Ethereum uses it (original Keccak padding, not FIPS-202 SHA3-256); see <see cref="Keccak256"/>.</summary>
public static class Keccak
{
    public static byte[] Hash256(ReadOnlySpan<byte> data) => Keccak256.Hash(data);

    public static byte[] Hash256(string utf8) => Hash256(System.Text.Encoding.UTF8.GetBytes(utf8));
}
