using System.Numerics;
using System.Text.Json;

namespace DefiCascade.Core.Snapshot;

/// <summary>
/// Reads and validates a snapshot document. Sections are read in dependency order (tokens before
/// anything that names an asset) so each cross-reference is checked where it is read, with its path.
/// </summary>
internal sealed partial class SnapshotJsonReader
{
    private const int MaxDecimals = 36;

    private readonly string _source;
    private readonly Dictionary<string, SnapshotToken> _tokens = new(StringComparer.Ordinal);
    private readonly HashSet<string> _priced = new(StringComparer.Ordinal);
    private readonly HashSet<string> _fed = new(StringComparer.Ordinal);
    private (byte[] Utf8, string Name)[]? _tokenNames;
    private IReadOnlyDictionary<string, string> _sources = new Dictionary<string, string>();

    private SnapshotJsonReader(string source) => _source = source;

    public static MarketSnapshot Read(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        return Read(source, options => JsonDocument.Parse(json, options));
    }

    /// <summary>The same from the file's UTF-8 bytes (a leading byte-order mark is skipped): no decoded copy of the text.</summary>
    public static MarketSnapshot Read(ReadOnlyMemory<byte> utf8, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var bom = "\uFEFF"u8;
        var body = utf8.Span.StartsWith(bom) ? utf8[bom.Length..] : utf8;

        // The document checks the JSON's structure, not the encoding inside its strings: check that here, once.
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            throw NotUtf8(body.Span, source);
        }

        return Read(source, options => JsonDocument.Parse(body, options));
    }

    private static SnapshotFormatException NotUtf8(ReadOnlySpan<byte> utf8, string source)
    {
        var at = 0;
        while (System.Text.Rune.DecodeFromUtf8(utf8[at..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            at += consumed;
        }

        var lineStart = utf8[..at].LastIndexOf((byte)'\n') + 1;
        var line = utf8[..at].Count((byte)'\n') + 1;
        return new SnapshotFormatException(source, "$", $"not UTF-8 text: byte 0x{utf8[at]:X2} at line {line}, byte {at - lineStart + 1}");
    }

    private static MarketSnapshot Read(string source, Func<JsonDocumentOptions, JsonDocument> parse)
    {
        JsonDocument document;
        try
        {
            document = parse(new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            var where = $"line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}";
            throw new SnapshotFormatException(source, "$", $"malformed or truncated JSON at {where}: {e.Message}", e);
        }

        using (document)
        {
            return new SnapshotJsonReader(source).ReadRoot(new JsonNodeReader(document.RootElement, source));
        }
    }

    private MarketSnapshot ReadRoot(JsonNodeReader root)
    {
        if (root.Element.ValueKind != JsonValueKind.Object)
        {
            throw new SnapshotFormatException(_source, "$", "the document must be a JSON object");
        }

        root.AllowOnly("schema", "chainId", "blockNumber", "blockTimestamp", "origin", "tokens", "prices", "oracles", "aaveV3Markets", "morphoBlueMarkets", "pools");
        var schemaNode = root.Child("schema");
        var schema = schemaNode.String();
        if (schema != MarketSnapshot.CurrentSchema)
        {
            throw schemaNode.Error($"unsupported schema '{schema}' (expected '{MarketSnapshot.CurrentSchema}')");
        }

        var chainId = root.Child("chainId").Long(1, long.MaxValue);
        var blockNumber = root.Child("blockNumber").Long(0, long.MaxValue);
        var blockTimestamp = root.Child("blockTimestamp").Long(0, long.MaxValue);
        var origin = ReadOrigin(root.Child("origin"));
        var tokens = root.Child("tokens").Items().Select(ReadToken).ToList();
        var prices = root.Child("prices").Items().Select(ReadPrice).ToList();
        var oracles = ReadOracles(root.Child("oracles"));
        var markets = root.Child("aaveV3Markets").Items().Select(ReadAaveMarket).ToList();
        var morpho = root.Optional("morphoBlueMarkets") is { } m ? ReadMorphoMarkets(m, blockTimestamp) : [];
        var pools = ReadPools(root.Child("pools"));
        return new MarketSnapshot(schema, chainId, blockNumber, blockTimestamp, origin, tokens, prices, oracles, markets, pools) { MorphoBlueMarkets = morpho };
    }

    private SnapshotOrigin ReadOrigin(JsonNodeReader node)
    {
        node.AllowOnly("kind", "description", "coverage", "sources");
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in node.Child("sources").Properties())
        {
            sources[name] = value.NonEmptyString();
        }

        _sources = sources;
        return new SnapshotOrigin(node.Child("kind").NonEmptyString(), node.Child("description").String(), node.Child("coverage").NonEmptyString(), sources);
    }

    /// <summary>A source field names one or more keys of origin.sources, comma separated.</summary>
    private string ReadSource(JsonNodeReader parent)
    {
        var node = parent.Child("source");
        var text = node.NonEmptyString();
        foreach (var key in text.Split(','))
        {
            if (!_sources.ContainsKey(key))
            {
                throw node.Error($"'{key}' is not a key of origin.sources");
            }
        }

        return text;
    }

    private SnapshotToken ReadToken(JsonNodeReader node)
    {
        node.AllowOnly("symbol", "address", "decimals", "source");
        var symbolNode = node.Child("symbol");
        var symbol = symbolNode.NonEmptyString();
        var address = node.Child("address").Address();
        if (_tokens.ContainsKey(symbol))
        {
            throw symbolNode.Error($"duplicate token symbol '{symbol}'");
        }

        if (_tokens.Values.Any(t => t.Address == address))
        {
            throw node.Child("address").Error($"duplicate token address {address}");
        }

        var token = new SnapshotToken(symbol, address, node.Child("decimals").Int(0, MaxDecimals), ReadSource(node));
        _tokens.Add(symbol, token);
        return token;
    }

    private string Asset(JsonNodeReader node)
    {
        var symbol = node.NonEmptyString();
        return _tokens.ContainsKey(symbol) ? symbol : throw node.Error($"unknown asset symbol '{symbol}' (not in tokens)");
    }

    private MarketPrice ReadPrice(JsonNodeReader node)
    {
        node.AllowOnly("asset", "usdAnswer", "decimals", "source");
        var assetNode = node.Child("asset");
        var asset = Asset(assetNode);
        if (!_priced.Add(asset))
        {
            throw assetNode.Error($"duplicate market price for '{asset}'");
        }

        return new MarketPrice(asset, node.Child("usdAnswer").Positive(), node.Child("decimals").Int(0, MaxDecimals), ReadSource(node));
    }

    private List<OracleFeedSnapshot> ReadOracles(JsonNodeReader list)
    {
        var feeds = new List<OracleFeedSnapshot>();
        var derived = new List<(JsonNodeReader Node, string Base)>();
        foreach (var node in list.Items())
        {
            node.AllowOnly("asset", "kind", "answer", "decimals", "deviationBps", "heartbeatSeconds", "baseAsset", "ratioWad", "source");
            var assetNode = node.Child("asset");
            var asset = Asset(assetNode);
            if (!_fed.Add(asset))
            {
                throw assetNode.Error($"duplicate oracle feed for '{asset}'");
            }

            var kindNode = node.Child("kind");
            var kind = kindNode.String();
            var answerNode = node.Child("answer");
            var answer = answerNode.Signed();
            if (answer.Sign <= 0)
            {
                throw answerNode.Error($"oracle answer {answer} must be greater than zero");
            }

            string? baseAsset = null;
            BigInteger? ratio = null;
            switch (kind)
            {
                case "chainlink":
                    break;
                case "derived":
                    var baseNode = node.Child("baseAsset");
                    baseAsset = Asset(baseNode);
                    ratio = node.Child("ratioWad").Positive();
                    derived.Add((baseNode, baseAsset));
                    break;
                default:
                    throw kindNode.Error($"unknown oracle kind '{kind}' (expected \"chainlink\" or \"derived\")");
            }

            feeds.Add(new OracleFeedSnapshot(
                asset,
                kind,
                answer,
                node.Child("decimals").Int(0, MaxDecimals),
                node.Child("deviationBps").Int(0, 10_000),
                node.Child("heartbeatSeconds").Int(0, int.MaxValue),
                baseAsset,
                ratio,
                ReadSource(node)));
        }

        foreach (var (node, baseAsset) in derived)
        {
            if (!_fed.Contains(baseAsset))
            {
                throw node.Error($"derived oracle's base asset '{baseAsset}' has no oracle feed");
            }
        }

        return feeds;
    }
}
