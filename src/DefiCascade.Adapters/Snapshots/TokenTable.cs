using DefiCascade.Core.Snapshot;

namespace DefiCascade.Adapters.Snapshots;

/// <summary>
/// The snapshot's tokens, merged by address across readers. Inside a snapshot assets go by symbol, so a second
/// token with a symbol already taken (two "USDC" contracts) becomes "SYMBOL@address" — renamed, never merged.
/// </summary>
internal sealed class TokenTable
{
    private readonly List<SnapshotToken> _all = [];
    private readonly Dictionary<Core.Primitives.Address, SnapshotToken> _byAddress = [];
    private readonly HashSet<string> _symbols = new(StringComparer.Ordinal);

    public IReadOnlyList<SnapshotToken> All => _all;

    public SnapshotToken? BySymbol(string symbol) => _all.FirstOrDefault(t => t.Symbol == symbol);

    /// <summary>Adds a reader's tokens; returns the map from that reader's symbols to the snapshot's.</summary>
    public Func<string, string> AddAll(IEnumerable<SnapshotToken> tokens)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            if (map.ContainsKey(token.Symbol))
            {
                // the map is by the reader's symbols: they must name one token each (add such tokens one call each).
                throw new ArgumentException($"two tokens of one reader share the symbol '{token.Symbol}'", nameof(tokens));
            }

            if (_byAddress.TryGetValue(token.Address, out var known))
            {
                map[token.Symbol] = known.Symbol;
                continue;
            }

            var symbol = _symbols.Contains(token.Symbol) ? $"{token.Symbol}@{token.Address.Hex}" : token.Symbol;
            var added = token with { Symbol = symbol };
            _all.Add(added);
            _byAddress[token.Address] = added;
            _symbols.Add(symbol);
            map[token.Symbol] = symbol;
        }

        return symbol => map.TryGetValue(symbol, out var renamed) ? renamed : symbol;
    }
}
