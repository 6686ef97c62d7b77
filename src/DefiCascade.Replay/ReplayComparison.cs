using System.Numerics;
using DefiCascade.Amm.V3;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Lending.AaveV3;
using DefiCascade.Simulation.Engine;

namespace DefiCascade.Replay;

/// <summary>One metric on both sides. USD amounts carry 8 decimals (the oracle's base currency); counts none.</summary>
public sealed record MetricRow(string Metric, string Unit, BigInteger Model, BigInteger Chain)
{
    public BigInteger Difference => Chain - Model;

    /// <summary>|chain − model| / |model| in percent; 0 when both are 0, 100 when only the model is 0.</summary>
    public double DivergencePercent =>
        Model.IsZero ? (Chain.IsZero ? 0 : 100) : (double)(BigInteger.Abs(Difference) * 1_000_000_000 / BigInteger.Abs(Model)) / 10_000_000;
}

/// <summary>An action whose chain outcome differs from the model's: where (block, position in the block), whom, and both sides' amounts.</summary>
public sealed record ActionDisagreement(int Block, int Index, string Kind, string? User, string Action, string Model, string Chain);

/// <summary>A pool whose slot0 price after a block differs from the model's, with both ticks (clamped to the valid range).</summary>
public sealed record PoolPriceDisagreement(int Block, Address Pool, BigInteger ModelSqrtPriceX96, BigInteger ChainSqrtPriceX96, int ModelTick, int ChainTick);

/// <summary>
/// The model's actions set against what the chain did with them: the per-metric table, and every action that differs
/// (the first one is where the two histories part).
/// </summary>
public sealed record ReplayComparison(IReadOnlyList<MetricRow> Metrics, IReadOnlyList<ActionDisagreement> Disagreements, int LiquidationsIdentical, int SwapsIdentical, int PoolPricesCompared, int PoolPricesIdentical)
{
    /// <summary>The model's liquidations per "collateral/debt" pair, e.g. "WETH/USDC".</summary>
    public IReadOnlyDictionary<string, int> LiquidationsByPair { get; init; } = new Dictionary<string, int>();

    /// <summary>Every user whose account data after the last block differs, in snapshot order.</summary>
    public IReadOnlyList<AccountDisagreement> AccountDisagreements { get; init; } = [];

    /// <summary>Every (block, pool) whose price after the block differs, in block and pool order.</summary>
    public IReadOnlyList<PoolPriceDisagreement> PoolPriceDisagreements { get; init; } = [];

    public double MaxDivergencePercent => Metrics.Count == 0 ? 0 : Metrics.Max(m => m.DivergencePercent);

    public ActionDisagreement? First => Disagreements.Count == 0 ? null : Disagreements[0];

    /// <summary>The end state read back from the chain: bad debt and accounts below HF 1 (see <see cref="ChainEndState"/>).</summary>
    public static ReplayComparison Build(
        MarketSnapshot snapshot, IReadOnlyList<RecordedBlock> model, IReadOnlyList<ChainBlock> chain, (BigInteger BadDebtUsd, int Below) modelEnd, ChainEndState chainEnd,
        IReadOnlyList<UserAccountData> modelAccounts)
    {
        ArgumentNullException.ThrowIfNull(modelAccounts);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(chainEnd);
        var units = snapshot.Tokens.ToDictionary(t => t.Symbol, t => BigInteger.Pow(10, t.Decimals), StringComparer.Ordinal);
        // USD values at the answer the oracle gives when the action runs: the model's answers, which the chain was given.
        var price = snapshot.Oracles.ToDictionary(o => o.Asset, o => To8(o.Answer, o.Decimals), StringComparer.Ordinal);
        BigInteger Usd(string asset, BigInteger amount) => amount * price[asset] / units[asset];

        var (liqModel, liqChain, sameLiq) = (0, 0, 0);
        var (arbModel, arbChain, saleModel, saleChain, sameSwap) = (0, 0, 0, 0, 0);
        BigInteger debtM = 0, debtC = 0, seizedM = 0, seizedC = 0, feeM = 0, feeC = 0;
        var disagreements = new List<ActionDisagreement>();
        var (poolsCompared, poolsSame) = (0, 0);
        var pairs = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var poolDisagreements = new List<PoolPriceDisagreement>();
        for (var b = 0; b < model.Count; b++)
        {
            var outcomes = chain[b].Outcomes;
            for (var i = 0; i < model[b].Actions.Count; i++)
            {
                var outcome = outcomes[i];
                switch (model[b].Actions[i])
                {
                    case OracleAction o:
                        price[o.Asset] = o.Answer;
                        break;
                    case LiquidationAction l:
                        liqModel++;
                        pairs[$"{l.CollateralAsset}/{l.DebtAsset}"] = pairs.GetValueOrDefault($"{l.CollateralAsset}/{l.DebtAsset}") + 1;
                        debtM += Usd(l.DebtAsset, l.DebtRepaid);
                        seizedM += Usd(l.CollateralAsset, l.CollateralToLiquidator + l.ProtocolFee);
                        feeM += Usd(l.CollateralAsset, l.ProtocolFee);
                        if (outcome.Succeeded)
                        {
                            liqChain++;
                            debtC += Usd(l.DebtAsset, outcome.DebtRepaid);
                            seizedC += Usd(l.CollateralAsset, outcome.CollateralToLiquidator + outcome.ProtocolFee);
                            feeC += Usd(l.CollateralAsset, outcome.ProtocolFee);
                        }

                        if (outcome.Succeeded && outcome.DebtRepaid == l.DebtRepaid && outcome.CollateralToLiquidator == l.CollateralToLiquidator && outcome.ProtocolFee == l.ProtocolFee)
                        {
                            sameLiq++;
                        }
                        else
                        {
                            disagreements.Add(new ActionDisagreement(
                                model[b].Block, i, "liquidation", l.User.Hex, ChainExecutor.Describe(l),
                                $"debt repaid {l.DebtRepaid} {l.DebtAsset}, collateral to liquidator {l.CollateralToLiquidator} {l.CollateralAsset}, protocol fee {l.ProtocolFee}",
                                outcome.Succeeded
                                    ? $"debt repaid {outcome.DebtRepaid}, collateral to liquidator {outcome.CollateralToLiquidator}, protocol fee {outcome.ProtocolFee} (tx {outcome.TxHash})"
                                    : $"failed: {outcome.Failure} (tx {outcome.TxHash})"));
                        }

                        break;
                    case SwapAction s:
                        var arbitrage = s.Purpose == SwapPurpose.Arbitrage;
                        if (arbitrage)
                        {
                            arbModel++;
                            arbChain += outcome.Succeeded ? 1 : 0;
                        }
                        else
                        {
                            saleModel++;
                            saleChain += outcome.Succeeded ? 1 : 0;
                        }

                        if (outcome.Succeeded && outcome.AmountIn == s.AmountIn && outcome.AmountOut == s.AmountOut && outcome.EventPool == s.PoolAddress)
                        {
                            sameSwap++;
                        }
                        else
                        {
                            disagreements.Add(new ActionDisagreement(
                                model[b].Block, i, arbitrage ? "arbitrage swap" : "sale swap", null, ChainExecutor.Describe(s),
                                $"in {s.AmountIn}, out {s.AmountOut} in pool {s.PoolAddress.Hex}",
                                outcome.Succeeded
                                    ? $"in {outcome.AmountIn}, out {outcome.AmountOut} in pool {outcome.EventPool?.Hex} (tx {outcome.TxHash})"
                                    : $"failed: {outcome.Failure} (tx {outcome.TxHash})"));
                        }

                        break;
                }
            }

            for (var p = 0; p < model[b].PoolSqrtPricesX96.Count; p++)
            {
                poolsCompared++;
                var (m, c) = (model[b].PoolSqrtPricesX96[p], chain[b].PoolSqrtPricesX96[p]);
                if (m == c)
                {
                    poolsSame++;
                }
                else
                {
                    poolDisagreements.Add(new PoolPriceDisagreement(
                        model[b].Block, snapshot.Pools[p].Address, m, c, TickMath.GetTickAtSqrtRatioClamped(m), TickMath.GetTickAtSqrtRatioClamped(c)));
                }
            }
        }

        var users = snapshot.AaveV3Markets[0].Positions;
        var accountDisagreements = new List<AccountDisagreement>();
        for (var u = 0; u < Math.Min(modelAccounts.Count, chainEnd.Accounts.Count); u++)
        {
            if (modelAccounts[u] != chainEnd.Accounts[u])
            {
                accountDisagreements.Add(new AccountDisagreement(users[u].User, modelAccounts[u], chainEnd.Accounts[u]));
            }
        }

        var metrics = new List<MetricRow>
        {
            new("liquidations", "count", liqModel, liqChain),
            new("debt repaid", "usd", debtM, debtC),
            new("collateral seized", "usd", seizedM, seizedC),
            new("protocol fees", "usd", feeM, feeC),
            new("arbitrage swaps", "count", arbModel, arbChain),
            new("collateral sale swaps", "count", saleModel, saleChain),
            new("bad debt at the end", "usd", modelEnd.BadDebtUsd, chainEnd.BadDebtUsd),
            new("accounts below HF 1 at the end", "count", modelEnd.Below, chainEnd.BelowHfOne),
            new("pool prices equal after each block", "count", poolsCompared, poolsSame),
            new("accounts identical at the end (getUserAccountData)", "count", modelAccounts.Count, modelAccounts.Count - accountDisagreements.Count),
        };
        return new ReplayComparison(metrics, disagreements, sameLiq, sameSwap, poolsCompared, poolsSame) { LiquidationsByPair = pairs, PoolPriceDisagreements = poolDisagreements, AccountDisagreements = accountDisagreements };
    }

    private static BigInteger To8(BigInteger answer, int decimals) =>
        decimals >= 8 ? answer / BigInteger.Pow(10, decimals - 8) : answer * BigInteger.Pow(10, 8 - decimals);
}

/// <summary>
/// Read back from the chain after the last block: every snapshot user's Pool.getUserAccountData; bad debt is the sum of
/// totalDebtBase − totalCollateralBase over accounts where debt exceeds collateral, as the engine computes it.
/// </summary>
public sealed record ChainEndState(ulong Block, int Users, BigInteger BadDebtUsd, int BelowHfOne)
{
    /// <summary>Each snapshot user's getUserAccountData after the last block, in snapshot position order.</summary>
    public IReadOnlyList<UserAccountData> Accounts { get; init; } = [];
}

/// <summary>A user whose account data after the last block differs between model and chain (all six getUserAccountData fields).</summary>
public sealed record AccountDisagreement(Address User, UserAccountData Model, UserAccountData Chain);
