using System.Globalization;
using System.Numerics;

namespace DefiCascade.Ethereum.Abi;

/// <summary>Decodes revert data: Error(string), Panic(uint256) or a custom error (named when the ABI declares it).</summary>
public static class RevertReason
{
    private static readonly byte[] ErrorSelector = AbiSignature.Selector("Error(string)");
    private static readonly byte[] PanicSelector = AbiSignature.Selector("Panic(uint256)");

    public static string Decode(ReadOnlySpan<byte> data, ContractAbi? abi = null)
    {
        if (data.Length == 0)
        {
            return "reverted without a reason";
        }

        if (data.Length < 4)
        {
            return "reverted with malformed data 0x" + Convert.ToHexStringLower(data);
        }

        var selector = data[..4];
        var body = data[4..];
        try
        {
            if (selector.SequenceEqual(ErrorSelector))
            {
                return (string)AbiCodec.Decode([AbiType.Parse("string")], body)[0];
            }

            if (selector.SequenceEqual(PanicSelector))
            {
                var code = (BigInteger)AbiCodec.Decode([AbiType.Parse("uint256")], body)[0];
                var hex = code <= 0xff ? ((int)code).ToString("x2", CultureInfo.InvariantCulture) : code.ToString("x", CultureInfo.InvariantCulture);
                return $"Panic(0x{hex}): {PanicMeaning(code)}";
            }

            if (abi?.ErrorBySelector(selector) is { } error)
            {
                var args = AbiCodec.Decode(error.InputTypes, body);
                return error.Name + "(" + string.Join(", ", args.Select(Format)) + ")";
            }
        }
        catch (AbiException)
        {
            // malformed payload: fall through to the raw form rather than hide the revert behind a decode error.
        }

        return "custom error 0x" + Convert.ToHexStringLower(selector) + (body.Length > 0 ? " with data 0x" + Convert.ToHexStringLower(body) : string.Empty);
    }

    /// <summary>The Solidity documentation's panic codes.</summary>
    public static string PanicMeaning(BigInteger code) => (int)BigInteger.Min(code, 0x1000) switch
    {
        0x00 => "generic compiler panic",
        0x01 => "assert failed",
        0x11 => "arithmetic overflow or underflow",
        0x12 => "division or modulo by zero",
        0x21 => "conversion to an invalid enum value",
        0x22 => "incorrectly encoded storage byte array",
        0x31 => "pop() on an empty array",
        0x32 => "array index out of bounds",
        0x41 => "out of memory (allocation too large)",
        0x51 => "call to a zero-initialized internal function",
        _ => "unknown panic code",
    };

    private static string Format(object value) => value switch
    {
        byte[] b => "0x" + Convert.ToHexStringLower(b),
        object[] a => "[" + string.Join(", ", a.Select(Format)) + "]",
        _ => value.ToString() ?? string.Empty,
    };
}
