using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using DefiCascade.Chain.Testing;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Client;
using DefiCascade.Lending.MorphoBlue;
using Xunit.Abstractions;

namespace DefiCascade.Chain.Tests;

/// <summary>
/// DefiCascade.Lending's MorphoBlueLiquidation (and MorphoBlueAccounting.AccrueInterest) against Morpho Blue 1.0.0
/// compiled from source by tests/chain/compile.mjs, to the wei. Each liquidation: pin the block timestamp T, mine
/// accrueInterest at T (checked against the model's accrual, fee shares included), read market, position and price
/// in that block, quote the model, eth_call liquidate in that block (return data or revert), then mine liquidate at T
/// again (no further accrual) and compare its Liquidate event, the market totals and the position with Execute.
/// </summary>
[Collection(AnvilMorphoCollection.Name)]
public sealed class MorphoBlueDifferentialTests(ChainWorldFixture anvil, ITestOutputHelper output)
{
    private const int DefaultSeed = 20260302;
    private const int Liquidations = 600;
    private const int NewBorrowersPerRound = 4;


    [Fact]
    public async Task Model_matches_Morpho_Blue_to_the_wei_over_600_seeded_liquidations()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("DEFICASCADE_CHAIN_SEED"), CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        output.WriteLine($"seed {seed} (set DEFICASCADE_CHAIN_SEED to replay another)");
        var clock = Stopwatch.StartNew();
        var run = new Run(anvil, new Random(seed));
        try
        {
            await run.ExecuteAsync();
        }
        catch (Exception e) when (e is ContractRevertException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidOperationException($"Morpho Blue differential with seed {seed} stopped after {run.Attempts} liquidations: {e.Message}", e);
        }

        var refusals = string.Join(", ", run.RefusalKinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Value} {k.Key}"));
        var summary = $"Morpho Blue differential: {run.Attempts} liquidations ({run.BadDebt} with bad debt, {run.Refusals} refusals), {run.Mismatches.Count} mismatches (seed {seed}, {clock.Elapsed.TotalSeconds:0.0} s)";
        output.WriteLine(summary);
        output.WriteLine($"refusals: {refusals}; accruals checked: {run.Accruals} (fee shares minted in {run.FeeAccruals})");
        Assert.True(run.Mismatches.Count == 0, summary + Environment.NewLine + string.Join(Environment.NewLine, run.Mismatches.Take(15)));
        Assert.True(run.Attempts >= Liquidations, summary);
        Assert.True(run.BadDebt >= 20, summary);
        Assert.True(run.Attempts - run.Refusals >= Liquidations / 2, summary);
        foreach (var kind in new[] { MorphoError.HealthyPosition, MorphoError.InconsistentInput, MorphoError.ArithmeticUnderflow })
        {
            Assert.True(run.RefusalKinds.ContainsKey(MorphoWorld.Kind(kind)), $"no {kind} refusal: {summary}");
        }
    }

    /// <summary>One seeded run: markets, borrowers, price moves and liquidations, with its counts and mismatches.</summary>
    private sealed class Run(ChainWorldFixture anvil, Random random)
    {
        private readonly Address _owner = anvil.Accounts[0];
        private readonly Address _lender = anvil.Accounts[1];
        private readonly Address _liquidator = anvil.Accounts[2];
        private MorphoWorld _world = null!;
        private ulong _borrowers;

        public int Attempts { get; private set; }

        public int Refusals { get; private set; }

        public int BadDebt { get; private set; }

        public int Accruals { get; private set; }

        public int FeeAccruals { get; private set; }

        public Dictionary<string, int> RefusalKinds { get; } = [];

        public List<string> Mismatches { get; } = [];

        public async Task ExecuteAsync()
        {
            // Morpho, its IRMs and LLTVs and the markets (MorphoWorld.MarketSpecs) come from the once-per-run world.
            _world = MorphoWorld.Attach(anvil.Eth, _owner, anvil.World.Morpho);
            var markets = new List<(MorphoMarket Market, double Price, List<Address> Borrowers)>();
            foreach (var m in _world.Markets)
            {
                var humanPrice = Math.Pow(10, -3 + (7 * random.NextDouble()));
                await _world.SetPriceAsync(m, MorphoWorld.OraclePrice(humanPrice, m.LoanDecimals, m.CollateralDecimals));
                await _world.SupplyAsync(m, _lender, BigInteger.Pow(10, 10 + m.LoanDecimals));
                await _world.FundAsync(m.Loan, _liquidator, BigInteger.Pow(10, 40));
                markets.Add((m, humanPrice, []));
            }

            while (Attempts < Liquidations)
            {
                foreach (var (m, humanPrice, borrowers) in markets)
                {
                    var price = MorphoWorld.OraclePrice(humanPrice, m.LoanDecimals, m.CollateralDecimals);
                    await _world.SetPriceAsync(m, price);
                    for (var i = 0; i < NewBorrowersPerRound; i++)
                    {
                        if (await OpenAsync(m, price, humanPrice) is { } borrower)
                        {
                            borrowers.Add(borrower);
                        }
                    }

                    // the price falls by 0 to 70%: some positions stay healthy, some go under water.
                    var factor = 0.3 + (0.7 * random.NextDouble());
                    await _world.SetPriceAsync(m, MorphoWorld.OraclePrice(humanPrice * factor, m.LoanDecimals, m.CollateralDecimals));
                    foreach (var borrower in borrowers.OrderBy(_ => random.Next()).ToArray())
                    {
                        for (var t = random.Next(1, 4); t > 0 && Attempts < Liquidations; t--)
                        {
                            if (!await LiquidateOnceAsync(m, borrower))
                            {
                                borrowers.Remove(borrower);
                                break;
                            }
                        }
                    }
                }
            }
        }

        /// <summary>A new borrower with collateral worth 1e-3 to 1e6 loan units, borrowing 75% to 99.9% of its limit.</summary>
        private async Task<Address?> OpenAsync(MorphoMarket m, BigInteger price, double humanPrice)
        {
            var borrower = Address.FromNumber(0xB0B, ++_borrowers);
            var value = Math.Pow(10, -3 + (9 * random.NextDouble()));
            var collateral = BigInteger.Max(BigInteger.One, new BigInteger(value / humanPrice * Math.Pow(10, m.CollateralDecimals)));
            var limit = MathLib.WMulDown(MathLib.MulDivDown(collateral, price, MorphoBlueVersion.OraclePriceScale), m.Params.Lltv);
            var borrow = limit * new BigInteger(750_000 + random.Next(249_000)) / 1_000_000;
            if (borrow.IsZero)
            {
                return null;
            }

            try
            {
                await _world.OpenPositionAsync(m, borrower, collateral, borrow);
                return borrower;
            }
            catch (ContractRevertException e) when (e.Reason == "insufficient collateral")
            {
                return null; // the borrow's shares round up past a dust limit
            }
        }

        /// <summary>One liquidation attempt, checked end to end; false once the position holds nothing to liquidate.</summary>
        private async Task<bool> LiquidateOnceAsync(MorphoMarket m, Address borrower)
        {
            var (_, latest) = await _world.LatestBlockAsync();
            var timestamp = latest + (m.Accrues ? (ulong)random.Next(1, 5 * 86_400) : 1UL);

            // accrual, mined at the liquidation's timestamp and checked against the model
            var before = await _world.MarketAsync(m, BlockParameter.Latest);
            var feeSharesBefore = (await _world.PositionAsync(m, _owner, BlockParameter.Latest)).SupplyShares;
            var rate = m.Accrues ? await _world.BorrowRateAsync(m, before) : BigInteger.Zero;
            var at = BlockParameter.At(await _world.AccrueAtAsync(m, timestamp));
            var s = await _world.MarketAsync(m, at);
            var accrued = before.Copy();
            var feeShares = MorphoBlueAccounting.AccrueInterest(m.Params, accrued, rate, timestamp);
            var feeSharesAfter = (await _world.PositionAsync(m, _owner, at)).SupplyShares;
            Accruals++;
            FeeAccruals += feeShares.IsZero ? 0 : 1;
            Check(accrued == s, $"accrual to {timestamp} at rate {rate}: chain {s}, model {accrued}");
            Check(feeSharesAfter - feeSharesBefore == feeShares, $"accrual fee shares: chain {feeSharesAfter - feeSharesBefore}, model {feeShares}");

            var position = await _world.PositionAsync(m, borrower, at);
            if (position.BorrowShares.IsZero && (position.Collateral.IsZero || random.Next(4) > 0))
            {
                return false; // nothing left to liquidate (now and then still tried: a healthy-position refusal)
            }

            var price = await _world.PriceAsync(m, at);
            var (kind, seized, repaid) = Pick(position);
            var quote = MorphoBlueLiquidation.Quote(m.Params, s, position, price, seized, repaid);
            var where = $"attempt {Attempts} ({kind}: seized {seized}, repaidShares {repaid}) on market lltv {m.Params.Lltv} {(m.Accrues ? "IrmMock" : "no IRM")}, borrower {borrower}, {position}, {s}, price {price}";
            Attempts++;

            // the return data, as eth_call in the accrued block
            var expected = quote.Ok ? $"ok {quote.SeizedAssets} {quote.RepaidAssets}" : MorphoWorld.Kind(quote.Error);
            string called;
            try
            {
                var (cs, cr) = await _world.CallLiquidateAsync(m, _liquidator, borrower, seized, repaid, at);
                called = $"ok {cs} {cr}";
            }
            catch (ContractRevertException e)
            {
                called = MorphoWorld.RevertKind(e);
            }

            Check(called == expected, $"{where}: eth_call {called}, model {expected}");

            // the transaction, mined at the same timestamp
            LiquidateEvent? ev = null;
            string sent;
            try
            {
                ev = await _world.LiquidateAtAsync(m, _liquidator, borrower, seized, repaid, timestamp);
                sent = $"ok {ev.SeizedAssets} {ev.RepaidAssets}";
            }
            catch (ContractRevertException e)
            {
                sent = MorphoWorld.RevertKind(e);
            }

            Check(sent == expected, $"{where}: transaction {sent}, model {expected}");
            if (!quote.Ok)
            {
                Refusals++;
                var k = MorphoWorld.Kind(quote.Error);
                RefusalKinds[k] = RefusalKinds.GetValueOrDefault(k) + 1;
                return true;
            }

            var modelMarket = s.Copy();
            var modelPosition = position.Copy();
            var executed = MorphoBlueLiquidation.Execute(m.Params, modelMarket, modelPosition, price, seized, repaid);
            Check(executed == quote, $"{where}: Execute {executed} differs from Quote {quote}");
            BadDebt += quote.BadDebtShares.IsZero ? 0 : 1;
            if (ev is not null)
            {
                var modelEvent = new LiquidateEvent(quote.RepaidAssets, quote.RepaidShares, quote.SeizedAssets, quote.BadDebtAssets, quote.BadDebtShares);
                Check(ev == modelEvent, $"{where}: event {ev}, model {modelEvent}");
                var chainMarket = await _world.MarketAsync(m, BlockParameter.Latest);
                var chainPosition = await _world.PositionAsync(m, borrower, BlockParameter.Latest);
                Check(chainMarket == modelMarket, $"{where}: market after {chainMarket}, model {modelMarket}");
                Check(chainPosition == modelPosition, $"{where}: position after {chainPosition}, model {modelPosition}");
            }

            return true;
        }

        /// <summary>The inputs of one attempt: partial and full seizes and repays, dust, and inputs the contract must refuse.</summary>
        private (string Kind, BigInteger Seized, BigInteger RepaidShares) Pick(MorphoPosition p)
        {
            var r = random.NextDouble();
            var collateral = p.Collateral;
            var shares = p.BorrowShares;
            return r switch
            {
                < 0.28 => ("partial seize", Fraction(collateral), 0),
                < 0.52 => ("partial repay", 0, Fraction(shares)),
                < 0.64 => ("seize all", BigInteger.Max(collateral, 1), 0),
                < 0.72 => ("repay all", 0, BigInteger.Max(shares, 1)),
                < 0.79 => ("seize too much", collateral + 1 + Fraction(collateral), 0),
                < 0.83 => ("repay too much", 0, shares + 1 + Fraction(shares)),
                < 0.86 => ("both zero", 0, 0),
                < 0.89 => ("both given", BigInteger.Max(Fraction(collateral), 1), BigInteger.Max(Fraction(shares), 1)),
                < 0.94 => random.Next(2) == 0 ? ("dust seize", 1, 0) : ("dust repay", 0, 1),
                < 0.97 => ("huge seize", BigInteger.One << random.Next(120, 250), 0),
                _ => ("huge repay", 0, BigInteger.One << random.Next(120, 250)),
            };
        }

        /// <summary>A log-uniform share of <paramref name="total"/>, from 1e-6 of it to all of it, at least 1.</summary>
        private BigInteger Fraction(BigInteger total)
        {
            var f = Math.Pow(10, -6 * random.NextDouble());
            return BigInteger.Max(BigInteger.One, total * new BigInteger(f * 1e15) / BigInteger.Pow(10, 15));
        }

        private void Check(bool ok, string what)
        {
            if (!ok)
            {
                Mismatches.Add(what);
            }
        }
    }
}
