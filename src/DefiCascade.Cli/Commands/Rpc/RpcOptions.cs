using System.CommandLine;
using System.Globalization;
using System.Numerics;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Cli.Commands.Rpc;

/// <summary>
/// Options and parsing shared by the commands that read a node (quote, snapshot, liquidation). The RPC URL is a
/// secret (API keys live in its path or query): it is never printed, and every message is scrubbed of it.
/// </summary>
internal static class RpcOptions
{
    public const string RpcUrlVariable = "ETH_RPC_URL";

    public static Option<string?> RpcUrl() =>
        // no DefaultValueFactory from the environment: --help prints defaults, and this one would be the secret URL.
        new("--rpc-url")
        {
            Description = $"JSON-RPC endpoint of an Ethereum node (http or https). Default: the {RpcUrlVariable} environment variable, as Foundry's tools do. Never printed.",
            HelpName = "URL",
        };

    public static Option<string> Block(string what) =>
        new("--block")
        {
            Description = $"Block to read {what} at: a number, or 'latest' (resolved to its number once, printed, and used for every read).",
            HelpName = "N",
            DefaultValueFactory = _ => "latest",
        };

    public static Uri ParseUrl(string? option)
    {
        var text = string.IsNullOrWhiteSpace(option) ? Environment.GetEnvironmentVariable(RpcUrlVariable) : option;
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new BadInputException($"--rpc-url is required (or set {RpcUrlVariable})");
        }

        // the rejected text is not echoed: a mistyped URL still holds the key.
        return Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new BadInputException("--rpc-url: not an absolute http(s) URL");
    }

    /// <summary>Null for 'latest' (the caller resolves it once).</summary>
    public static ulong? ParseBlock(string text) =>
        text.Equals("latest", StringComparison.OrdinalIgnoreCase) ? null
        : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
        : throw new BadInputException($"--block: '{text}' is neither a block number nor 'latest'");

    public static Address ParseAddress(string option, string text) =>
        Address.TryParse(text, out var address) ? address : throw new BadInputException($"{option}: '{text}' is not a 0x-prefixed 20-byte hex address");

    public static BigInteger ParseAmount(string option, string text) =>
        BigInteger.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount.Sign > 0
            ? amount
            : throw new BadInputException($"{option}: '{text}' is not a positive integer amount in base units");

    /// <summary>Belt and braces over the Ethereum layer's redaction: no form of the URL survives into a message.</summary>
    public static string Scrub(string message, Uri? url, string? option)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = message;
        foreach (var secret in new[] { option, Environment.GetEnvironmentVariable(RpcUrlVariable), url?.OriginalString, url?.AbsoluteUri })
        {
            if (!string.IsNullOrEmpty(secret))
            {
                text = text.Replace(secret, "***", StringComparison.OrdinalIgnoreCase);
            }
        }

        if (url is not null && url.PathAndQuery.Length > 1)
        {
            text = text.Replace(url.PathAndQuery, "/***", StringComparison.Ordinal);
        }

        return text;
    }
}
