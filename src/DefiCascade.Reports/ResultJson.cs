using System.Numerics;
using System.Text;
using System.Text.Json;
using DefiCascade.Simulation.Results;

namespace DefiCascade.Reports;

/// <summary>
/// result.json: the summary of a run, deterministic byte for byte for the same (snapshot,
/// scenario, seed). Raw token amounts are decimal strings of base units; USD figures are exact
/// decimal strings (8 decimals at most); the per-block series lives in blocks.csv.
/// </summary>
public static class ResultJson
{
    public const string Schema = "defi-cascade/result/v1";

    public static string Serialize(SimulationResult r)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            WriteHeader(w, r.Header);
            WriteStatus(w, r.Status);
            WriteTotals(w, r.Totals);
            w.WriteStartArray("reserves");
            foreach (var x in r.Reserves)
            {
                w.WriteStartObject();
                w.WriteString("market", x.Market);
                w.WriteString("asset", x.Asset);
                w.WriteString("initialDebtUsd", Usd.Exact(x.InitialDebtUsd));
                w.WriteString("debtRepaid", Raw(x.DebtRepaid));
                w.WriteString("debtRepaidUsd", Usd.Exact(x.DebtRepaidUsd));
                w.WriteString("badDebtUsd", Usd.Exact(x.BadDebtUsd));
                w.WriteNumber("badDebtPercentOfBorrows", x.BadDebtPercentOfBorrows);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WritePrices(w, r.Prices);
            WritePoolsOutOfLiquidity(w, r.PoolsOutOfLiquidity);
            w.WriteStartArray("unliquidatable");
            foreach (var u in r.Unliquidatable)
            {
                w.WriteStartObject();
                w.WriteString("reason", Name(u.Reason));
                w.WriteNumber("accounts", u.Accounts);
                w.WriteString("debtUsd", Usd.Exact(u.DebtUsd));
                w.WriteString("collateralUsd", Usd.Exact(u.CollateralUsd));
                w.WriteString("explanation", u.Explanation);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteAccounts(w, r.BadDebtAccounts);
            WriteMitigation(w, r.Mitigation);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    public static string Name(UnliquidatableReason reason) => JsonNamingPolicy.KebabCaseLower.ConvertName(reason.ToString());

    private static void WriteHeader(Utf8JsonWriter w, RunHeader h)
    {
        w.WriteStartObject("run");
        w.WriteString("engine", h.Engine);
        w.WriteString("lendingModel", h.LendingModel);
        w.WriteNumber("seed", h.Seed);
        w.WriteString("scenario", h.ScenarioName);
        w.WriteString("scenarioDescription", h.ScenarioDescription);
        w.WriteNumber("blockSeconds", h.BlockSeconds);
        w.WriteStartObject("snapshot");
        w.WriteNumber("chainId", h.ChainId);
        w.WriteNumber("block", h.SnapshotBlock);
        w.WriteNumber("timestamp", h.SnapshotTimestamp);
        w.WriteString("kind", h.SnapshotKind);
        w.WriteString("coverage", h.SnapshotCoverage);
        w.WriteEndObject();
        w.WriteStartArray("assumptions");
        foreach (var a in h.Assumptions)
        {
            w.WriteStartObject();
            w.WriteString("name", a.Name);
            w.WriteString("value", a.Value);
            w.WriteString("basis", a.Basis);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteStatus(Utf8JsonWriter w, RunStatus s)
    {
        w.WriteStartObject("status");
        w.WriteString("outcome", s.Outcome);
        w.WriteNumber("blocksSimulated", s.BlocksSimulated);
        w.WriteNumber("pathBlocks", s.PathBlocks);
        w.WriteNumber("settleBlocks", s.SettleBlocks);
        w.WriteString("explanation", s.Explanation);
        w.WriteEndObject();
    }

    private static void WriteTotals(Utf8JsonWriter w, RunTotals t)
    {
        w.WriteStartObject("totals");
        w.WriteNumber("accounts", t.Accounts);
        w.WriteNumber("accountsWithDebt", t.AccountsWithDebt);
        w.WriteNumber("liquidationEvents", t.LiquidationEvents);
        w.WriteNumber("accountsLiquidated", t.AccountsLiquidated);
        w.WriteString("debtRepaidUsd", Usd.Exact(t.DebtRepaidUsd));
        w.WriteString("collateralSeizedUsd", Usd.Exact(t.CollateralSeizedUsd));
        w.WriteString("protocolFeesUsd", Usd.Exact(t.ProtocolFeesUsd));
        w.WriteString("liquidatorProfitUsd", Usd.Exact(t.LiquidatorProfitUsd));
        w.WriteString("gasUsd", Usd.Exact(t.GasUsd));
        w.WriteNumber("gasUsed", t.GasUsed);
        w.WriteNumber("arbitrageTrades", t.ArbitrageTrades);
        w.WriteNumber("oracleUpdates", t.OracleUpdates);
        w.WriteString("initialDebtUsd", Usd.Exact(t.InitialDebtUsd));
        w.WriteString("badDebtUsd", Usd.Exact(t.BadDebtUsd));
        w.WriteString("realizedBadDebtUsd", Usd.Exact(t.RealizedBadDebtUsd));
        w.WriteNumber("badDebtPercentOfBorrows", t.BadDebtPercentOfBorrows);
        w.WriteNumber("accountsWithBadDebt", t.AccountsWithBadDebt);
        w.WriteNumber("accountsLeftBelowHfOne", t.AccountsLeftBelowHfOne);
        w.WriteEndObject();
    }

    private static void WritePrices(Utf8JsonWriter w, IReadOnlyList<AssetPriceOutcome> prices)
    {
        w.WriteStartArray("prices");
        foreach (var p in prices)
        {
            w.WriteStartObject();
            w.WriteString("asset", p.Asset);
            w.WriteString("startUsd", Usd.Exact(p.Start));
            w.WriteString("exogenousEndUsd", Usd.Exact(p.ExogenousEnd));
            w.WriteString("realizedEndUsd", Usd.Exact(p.RealizedEnd));
            w.WriteString("realizedLowUsd", Usd.Exact(p.RealizedLow));
            w.WriteString("oracleEndUsd", Usd.Exact(p.OracleEnd));
            w.WriteString("poolEndUsd", Usd.Exact(p.PoolEnd));
            w.WriteNumber("exogenousMovePercent", p.ExogenousMovePercent);
            w.WriteNumber("realizedMovePercent", p.RealizedMovePercent);
            w.WriteNumber("amplificationPoints", p.AmplificationPoints);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteAccounts(Utf8JsonWriter w, IReadOnlyList<AccountOutcome> accounts)
    {
        w.WriteStartArray("accountsLeft");
        foreach (var a in accounts)
        {
            w.WriteStartObject();
            w.WriteString("market", a.Market);
            w.WriteString("user", a.User.Hex);
            w.WriteNumber("eMode", a.EMode);
            w.WriteString("collateral", string.Join(",", a.CollateralAssets));
            w.WriteString("debt", string.Join(",", a.DebtAssets));
            w.WriteString("collateralUsd", Usd.Exact(a.CollateralUsd));
            w.WriteString("debtUsd", Usd.Exact(a.DebtUsd));
            w.WriteString("shortfallUsd", Usd.Exact(a.ShortfallUsd));
            w.WriteString("healthFactorWad", Raw(a.HealthFactor));
            w.WriteString("reason", Name(a.Reason));
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    // Only a run where a pool's book ran out before the external price writes this array: other results keep their bytes.
    private static void WritePoolsOutOfLiquidity(Utf8JsonWriter w, IReadOnlyList<PoolOutOfLiquidity> pools)
    {
        if (pools.Count == 0)
        {
            return;
        }

        w.WriteStartArray("poolsOutOfLiquidity");
        foreach (var p in pools)
        {
            w.WriteStartObject();
            w.WriteString("pool", p.Pool.Hex);
            w.WriteString("kind", p.Kind);
            w.WriteNumber("fee", p.FeePips);
            w.WriteString("token0", p.Token0);
            w.WriteString("token1", p.Token1);
            w.WriteString("ranOutOf", p.RanOutOf);
            w.WriteString("stop", JsonNamingPolicy.KebabCaseLower.ConvertName(p.Stop.ToString()));
            w.WriteNumber("firstBlock", p.FirstBlock);
            w.WriteNumber("lastBlock", p.LastBlock);
            w.WriteNumber("blocks", p.Blocks);
            w.WriteString("edgeSqrtPriceX96", Raw(p.EdgeSqrtPriceX96));
            w.WriteNumber("edgeTick", p.EdgeTick);
            w.WriteNumber("edgePriceToken0InToken1", p.EdgePrice);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    // Only a scenario with mitigations writes this object: results without one keep their bytes.
    private static void WriteMitigation(Utf8JsonWriter w, MitigationReport? m)
    {
        if (m is null)
        {
            return;
        }

        w.WriteStartObject("mitigations");
        w.WriteString("liquidationCapBoundBlocks", string.Join(",", m.LiquidationCapBoundBlocks));
        w.WriteString("pausedBlocks", string.Join(",", m.PausedBlocks));
        if (m.ReserveChanges is { } changes)
        {
            w.WriteStartArray("reserveChanges");
            foreach (var c in changes)
            {
                w.WriteStartObject();
                w.WriteNumber("block", c.Block);
                w.WriteString("market", c.Market);
                w.WriteString("asset", c.Asset);
                w.WriteNumber("ltvBps", c.LtvBps);
                w.WriteNumber("liquidationThresholdBps", c.LiquidationThresholdBps);
                w.WriteNumber("liquidationBonusBps", c.LiquidationBonusBps);
                if (c.VolatilityBps is { } vol)
                {
                    w.WriteNumber("annualizedVolatilityBps", vol);
                }

                w.WriteString("cause", c.Cause);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (m.Effect is { } e)
        {
            w.WriteStartObject("mitigationEffect");
            w.WriteString("badDebtUsd", Usd.Exact(e.BadDebtUsd));
            w.WriteString("badDebtUsdWithout", Usd.Exact(e.BadDebtUsdWithout));
            w.WriteString("debtRepaidUsd", Usd.Exact(e.DebtRepaidUsd));
            w.WriteString("debtRepaidUsdWithout", Usd.Exact(e.DebtRepaidUsdWithout));
            w.WriteNumber("liquidationEvents", e.LiquidationEvents);
            w.WriteNumber("liquidationEventsWithout", e.LiquidationEventsWithout);
            w.WriteNumber("blocksSimulated", e.BlocksSimulated);
            w.WriteNumber("blocksSimulatedWithout", e.BlocksSimulatedWithout);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static string Raw(BigInteger value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
