using Org.BouncyCastle.Crypto.Digests;

namespace DefiCascade.Core.Primitives;

/// <summary>
/// Keccak-256 as Ethereum hashes (original Keccak padding, not FIPS-202 SHA3-256), from BouncyCastle. It lives in Core
/// because the snapshot reader checks Morpho market ids (keccak256 of the abi-encoded params) without I/O.
/// </summary>
public static class Keccak256
{
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var digest = new KeccakDigest(256);
        var input = data.ToArray();
        digest.BlockUpdate(input, 0, input.Length);
        var output = new byte[32];
        digest.DoFinal(output, 0);
        return output;
    }
}
