using System.Numerics;
using DefiCascade.Core.Snapshot;
using DefiCascade.Simulation.Engine;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.MonteCarlo;

/// <summary>
/// The branching ratio R0 per block, measured on the instant-shock variant of the scenario: the
/// driver jumps in block 1 and the exogenous path is flat after, so once the shock block has passed
/// the only thing that pushes an account under HF 1 is the price impact of earlier liquidators' sales.
/// <para>
/// Sold volume S(b): the collateral liquidators sold in block b (collateral seized minus the
/// protocol's fee, USD at oracle prices). Each liquidation is traced back to the block its account
/// crossed below HF 1 (the first block of the unbroken run of below-1 states that ends at the
/// liquidation; an account liquidated while it was above 1 at the end of the previous block crossed
/// in the liquidation's own block). A crossing in block c is triggered by the sales of the latest
/// block p &lt; c that sold anything; with no such block it belongs to the shock. T(p) sums the
/// collateral sold from the accounts p triggered, whenever they were liquidated (a gas-budget delay
/// does not move the credit to a later block). R0(b) = T(b) / S(b), rated only when S(b) reaches
/// the materiality floor; the overall R0 is the sum of T over the sum of S of the rated blocks.
/// </para>
/// </summary>
public static class BranchingRatio
{
    /// <summary>A liquidator's sale: the block, the account (book &lt;&lt; 32 | index) and the collateral sold in USD.</summary>
    public readonly record struct Sale(int Block, long Account, BigInteger SoldUsd);

    public static BranchingResult Measure(MarketSnapshot snapshot, Scenario scenario, int seed, BigInteger floorUsd, CancellationToken cancellation = default)
    {
        var shockBps = CriticalShock.LargestDriverFallBps(scenario);
        var engine = new CascadeEngine(snapshot, CriticalShock.InstantVariant(scenario, shockBps), seed);
        var state = engine.State;
        var below = new Dictionary<int, HashSet<long>>();
        // The engine reports progress on its own thread after each block is complete, so the state read here is that block's end state.
        var result = engine.Run(new InlineProgress<RunProgress>(p => below[p.Block] = ResultBuilder.BelowHfOne(state).ToHashSet()), cancellation);

        var ids = new Dictionary<(string Market, string User), long>();
        for (var b = 0; b < state.Books.Count; b++)
        {
            var book = state.Books[b];
            for (var i = 0; i < book.Accounts.Length; i++)
            {
                ids[(book.Market.Name, book.Accounts[i].User.Hex)] = ((long)b << 32) | (uint)i;
            }
        }

        var sales = result.Liquidations
            .Select(e => new Sale(e.Block, ids[(e.Market, e.User.Hex)], e.CollateralSeizedUsd - e.ProtocolFeeUsd))
            .ToList();
        return Compute(shockBps, floorUsd, sales, below, result.Status.BlocksSimulated);
    }

    /// <summary>The attribution described on the class, on given sales and end-of-block below-HF-1 sets.</summary>
    public static BranchingResult Compute(int shockBps, BigInteger floorUsd, IReadOnlyList<Sale> sales, IReadOnlyDictionary<int, HashSet<long>> belowAfterBlock, int horizonBlocks)
    {
        ArgumentNullException.ThrowIfNull(sales);
        ArgumentNullException.ThrowIfNull(belowAfterBlock);
        var sold = new SortedDictionary<int, BigInteger>();
        foreach (var s in sales)
        {
            sold[s.Block] = sold.GetValueOrDefault(s.Block) + s.SoldUsd;
        }

        var sellingBlocks = sold.Where(kv => kv.Value.Sign > 0).Select(kv => kv.Key).ToArray();
        var triggered = new Dictionary<int, BigInteger>();
        var shockGeneration = BigInteger.Zero;
        foreach (var s in sales)
        {
            var crossed = s.Block;
            while (crossed > 1 && belowAfterBlock.TryGetValue(crossed - 1, out var set) && set.Contains(s.Account))
            {
                crossed--;
            }

            var parent = LatestBefore(sellingBlocks, crossed);
            if (parent is { } p)
            {
                triggered[p] = triggered.GetValueOrDefault(p) + s.SoldUsd;
            }
            else
            {
                shockGeneration += s.SoldUsd;
            }
        }

        var blocks = sellingBlocks
            .Select(b => new BlockBranching(b, sold[b], triggered.GetValueOrDefault(b), sold[b] >= floorUsd ? Ratio(triggered.GetValueOrDefault(b), sold[b]) : null))
            .ToList();
        var rated = blocks.Where(b => b.R0 is not null).ToList();
        var overall = rated.Count == 0
            ? (double?)null
            : Ratio(rated.Aggregate(BigInteger.Zero, (x, b) => x + b.TriggeredUsd), rated.Aggregate(BigInteger.Zero, (x, b) => x + b.SoldUsd));
        return new BranchingResult(shockBps, floorUsd, shockGeneration, blocks, overall, horizonBlocks);
    }

    private static int? LatestBefore(int[] ascending, int block)
    {
        var i = Array.BinarySearch(ascending, block);
        // Not found: ~i is the first index above; either way the one before it is the latest strictly earlier block.
        var before = (i >= 0 ? i : ~i) - 1;
        return before >= 0 ? ascending[before] : null;
    }

    // Six decimals, computed in integers, so the value is the same on every machine.
    private static double Ratio(BigInteger part, BigInteger whole) => (double)(part * 1_000_000 / whole) / 1_000_000.0;
}
