using System.Globalization;
using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum;
using DefiCascade.Ethereum.Abi;
using DefiCascade.Ethereum.Artifacts;
using DefiCascade.Ethereum.Client;
using DefiCascade.Lending.MorphoBlue;

namespace DefiCascade.Chain.Testing;

/// <summary>One Morpho Blue market on the test chain: its params (with id), its tokens and oracle, and the decimals they stand for.</summary>
public sealed record MorphoMarket(MorphoMarketParams Params, byte[] Id, Contract Loan, Contract Collateral, Contract Oracle, int LoanDecimals, int CollateralDecimals)
{
    public bool Accrues => Params.Irm != Address.Zero;

    /// <summary>MarketParams as the ABI tuple (loanToken, collateralToken, oracle, irm, lltv).</summary>
    public object[] Tuple => [Params.LoanToken, Params.CollateralToken, Params.Oracle, Params.Irm, Params.Lltv];
}

/// <summary>Where one market's tokens and oracle live in the once-per-run world, and what the market is.</summary>
public sealed record MorphoMarketAddresses(Address Loan, Address Collateral, Address Oracle, Address Irm, BigInteger Lltv, int LoanDecimals, int CollateralDecimals);

/// <summary>Where Morpho Blue, its IrmMock and the created markets (in <see cref="MorphoWorld.MarketSpecs"/>' order) live in the once-per-run world.</summary>
public sealed record MorphoWorldAddresses(Address Morpho, Address Irm, IReadOnlyList<MorphoMarketAddresses> Markets);

/// <summary>What the Liquidate event reported.</summary>
public sealed record LiquidateEvent(BigInteger RepaidAssets, BigInteger RepaidShares, BigInteger SeizedAssets, BigInteger BadDebtAssets, BigInteger BadDebtShares);

/// <summary>
/// Morpho Blue 1.0.0 compiled by tests/chain/compile.mjs, deployed on an anvil with ERC20Mock tokens, OracleMock
/// prices and either no IRM (address(0): interest never accrues) or IrmMock (utilization as APR).
/// </summary>
public sealed class MorphoWorld
{
    /// <summary>A fixed limit skips eth_estimateGas (which would run on a block of its own choosing).</summary>
    public const ulong Gas = 1_000_000;

    public static readonly BigInteger Wad = BigInteger.Pow(10, 18);

    private static readonly Lazy<ContractArtifact> MorphoArtifact = new(() => CompiledContracts.Load("Morpho"));
    private static readonly Lazy<ContractArtifact> Erc20Artifact = new(() => CompiledContracts.Load("ERC20Mock"));
    private static readonly Lazy<ContractArtifact> OracleArtifact = new(() => CompiledContracts.Load("OracleMock"));
    private static readonly Lazy<ContractArtifact> IrmArtifact = new(() => CompiledContracts.Load("IrmMock"));
    private static readonly byte[] LiquidateTopic = Keccak.Hash256("Liquidate(bytes32,address,address,uint256,uint256,uint256,uint256,uint256)");
    private static readonly IReadOnlyList<AbiType> FiveWords = AbiType.ParseList("uint256,uint256,uint256,uint256,uint256");
    private static readonly IReadOnlyList<AbiType> ParamsTypes = AbiType.ParseList("address,address,address,address,uint256");

    /// <summary>
    /// The world's markets, (lltv, IRM, fee, loan decimals, collateral decimals): both IRM kinds, a fee, and decimals
    /// that scale the oracle price. Their LLTVs are the enabled ones; a test sets each oracle's price itself.
    /// </summary>
    public static readonly (double Lltv, bool Irm, double Fee, int LoanDecimals, int CollateralDecimals)[] MarketSpecs =
    [
        (0.385, false, 0, 18, 18),
        (0.625, true, 0.1, 6, 18),
        (0.77, false, 0, 18, 8),
        (0.86, true, 0, 6, 8),
        (0.915, false, 0, 18, 18),
        (0.945, true, 0.25, 8, 18),
    ];

    private MorphoWorld(EthClient eth, Address owner, Contract morpho, Contract irm)
    {
        Eth = eth;
        Owner = owner;
        Morpho = morpho;
        Irm = irm;
    }

    /// <summary>The markets created by <see cref="CreateSpecMarketsAsync"/> or attached with <see cref="Attach"/>.</summary>
    public IReadOnlyList<MorphoMarket> Markets { get; private set; } = [];

    public MorphoWorldAddresses Addresses => new(
        Morpho.Address,
        Irm.Address,
        Markets.Select(m => new MorphoMarketAddresses(m.Loan.Address, m.Collateral.Address, m.Oracle.Address, m.Params.Irm, m.Params.Lltv, m.LoanDecimals, m.CollateralDecimals)).ToArray());

    /// <summary>Morpho, its IRM and markets already deployed at <paramref name="addresses"/> on this node (a node started from the world's state).</summary>
    public static MorphoWorld Attach(EthClient eth, Address owner, MorphoWorldAddresses addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        Contract At(ContractArtifact artifact, Address address) => new(eth, artifact.Name, artifact.Abi, address);
        return new MorphoWorld(eth, owner, At(MorphoArtifact.Value, addresses.Morpho), At(IrmArtifact.Value, addresses.Irm))
        {
            Markets = addresses.Markets.Select(m => Market(
                new MorphoMarketParams(m.Loan, m.Collateral, m.Oracle, m.Irm, m.Lltv),
                At(Erc20Artifact.Value, m.Loan),
                At(Erc20Artifact.Value, m.Collateral),
                At(OracleArtifact.Value, m.Oracle),
                m.LoanDecimals,
                m.CollateralDecimals)).ToArray(),
        };
    }

    /// <summary>One market per <see cref="MarketSpecs"/> entry, each created at a price of 1 (the test sets its own).</summary>
    public async Task CreateSpecMarketsAsync()
    {
        var markets = new List<MorphoMarket>();
        foreach (var spec in MarketSpecs)
        {
            var price = OraclePrice(1, spec.LoanDecimals, spec.CollateralDecimals);
            markets.Add(await CreateMarketAsync(ToWad(spec.Lltv), spec.Irm, ToWad(spec.Fee), price, spec.LoanDecimals, spec.CollateralDecimals));
        }

        Markets = markets;
    }

    /// <summary>A fraction as a WAD, exact to 1e-6.</summary>
    public static BigInteger ToWad(double value) => new BigInteger(Math.Round(value * 1e6)) * BigInteger.Pow(10, 12);

    public EthClient Eth { get; }

    public Address Owner { get; }

    public Contract Morpho { get; }

    public Contract Irm { get; }

    public static async Task<MorphoWorld> DeployAsync(EthClient eth, Address owner, IEnumerable<BigInteger> lltvs)
    {
        var morpho = await Contract.DeployAsync(eth, MorphoArtifact.Value, owner, owner);
        var irm = await Contract.DeployAsync(eth, IrmArtifact.Value, owner);
        await morpho.SendAsync(owner, "enableIrm", Address.Zero);
        await morpho.SendAsync(owner, "enableIrm", irm.Address);
        foreach (var lltv in lltvs)
        {
            await morpho.SendAsync(owner, "enableLltv", lltv);
        }

        await morpho.SendAsync(owner, "setFeeRecipient", owner);
        return new MorphoWorld(eth, owner, morpho, irm);
    }

    /// <summary>Fresh tokens and oracle, the market created at <paramref name="price"/> (oracle units, 1e36 scale).</summary>
    public async Task<MorphoMarket> CreateMarketAsync(BigInteger lltv, bool withIrm, BigInteger fee, BigInteger price, int loanDecimals, int collateralDecimals)
    {
        var loan = await Contract.DeployAsync(Eth, Erc20Artifact.Value, Owner);
        var collateral = await Contract.DeployAsync(Eth, Erc20Artifact.Value, Owner);
        var oracle = await Contract.DeployAsync(Eth, OracleArtifact.Value, Owner);
        await oracle.SendAsync(Owner, "setPrice", price);
        var p = new MorphoMarketParams(loan.Address, collateral.Address, oracle.Address, withIrm ? Irm.Address : Address.Zero, lltv);
        var market = Market(p, loan, collateral, oracle, loanDecimals, collateralDecimals);
        await Morpho.SendAsync(Owner, "createMarket", [market.Tuple]);
        if (!fee.IsZero)
        {
            await Morpho.SendAsync(Owner, "setFee", market.Tuple, fee);
        }

        return market;
    }

    private static MorphoMarket Market(MorphoMarketParams p, Contract loan, Contract collateral, Contract oracle, int loanDecimals, int collateralDecimals)
    {
        var id = Keccak.Hash256(AbiCodec.Encode(ParamsTypes, [p.LoanToken, p.CollateralToken, p.Oracle, p.Irm, p.Lltv]));
        return new MorphoMarket(p with { Id = Hex.Encode(id) }, id, loan, collateral, oracle, loanDecimals, collateralDecimals);
    }

    /// <summary>Mints to <paramref name="account"/> and lets Morpho pull everything.</summary>
    public async Task FundAsync(Contract token, Address account, BigInteger amount)
    {
        await token.SendWithGasAsync(account, Gas, "setBalance", account, amount);
        await token.SendWithGasAsync(account, Gas, "approve", Morpho.Address, UInt256Max);
    }

    public async Task SupplyAsync(MorphoMarket m, Address lender, BigInteger assets)
    {
        await FundAsync(m.Loan, lender, assets);
        await Morpho.SendWithGasAsync(lender, Gas, "supply", m.Tuple, assets, BigInteger.Zero, lender, Array.Empty<byte>());
    }

    /// <summary>A borrower (an impersonated address with gas money) posts collateral and borrows.</summary>
    public async Task OpenPositionAsync(MorphoMarket m, Address borrower, BigInteger collateral, BigInteger borrowAssets)
    {
        await Eth.SetBalanceAsync(borrower, BigInteger.Pow(10, 21));
        await Eth.ImpersonateAccountAsync(borrower);
        await FundAsync(m.Collateral, borrower, collateral);
        await Morpho.SendWithGasAsync(borrower, Gas, "supplyCollateral", m.Tuple, collateral, borrower, Array.Empty<byte>());
        await Morpho.SendWithGasAsync(borrower, Gas, "borrow", m.Tuple, borrowAssets, BigInteger.Zero, borrower, borrower);
    }

    public Task SetPriceAsync(MorphoMarket m, BigInteger price) => m.Oracle.SendWithGasAsync(Owner, Gas, "setPrice", price);

    public async Task<BigInteger> PriceAsync(MorphoMarket m, BlockParameter block) => (BigInteger)(await m.Oracle.CallAtAsync(block, "price"))[0];

    public async Task<MorphoMarketState> MarketAsync(MorphoMarket m, BlockParameter block)
    {
        var r = await Morpho.CallAtAsync(block, "market", m.Id);
        return new MorphoMarketState((BigInteger)r[0], (BigInteger)r[1], (BigInteger)r[2], (BigInteger)r[3], (BigInteger)r[4], (BigInteger)r[5]);
    }

    public async Task<MorphoPosition> PositionAsync(MorphoMarket m, Address account, BlockParameter block)
    {
        var r = await Morpho.CallAtAsync(block, "position", m.Id, account);
        return new MorphoPosition((BigInteger)r[0], (BigInteger)r[1], (BigInteger)r[2]);
    }

    /// <summary>IrmMock.borrowRateView for a market state (pure: the rate accrual at any timestamp uses).</summary>
    public async Task<BigInteger> BorrowRateAsync(MorphoMarket m, MorphoMarketState s) =>
        (BigInteger)(await Irm.CallAsync("borrowRateView", m.Tuple, new object[] { s.TotalSupplyAssets, s.TotalSupplyShares, s.TotalBorrowAssets, s.TotalBorrowShares, s.LastUpdate, s.Fee }))[0];

    public async Task<(ulong Number, ulong Timestamp)> LatestBlockAsync()
    {
        var block = await Eth.Rpc.CallAsync("eth_getBlockByNumber", CancellationToken.None, "latest", false);
        return ((ulong)Hex.DecodeQuantity(block.GetProperty("number").GetString()!), (ulong)Hex.DecodeQuantity(block.GetProperty("timestamp").GetString()!));
    }

    /// <summary>Morpho.accrueInterest mined in a block stamped <paramref name="timestamp"/>; returns that block's number.</summary>
    public async Task<ulong> AccrueAtAsync(MorphoMarket m, ulong timestamp)
    {
        await Eth.SetNextBlockTimestampAsync(timestamp);
        return (await Morpho.SendWithGasAsync(Owner, Gas, "accrueInterest", [m.Tuple])).BlockNumber;
    }

    /// <summary>liquidate as eth_call from <paramref name="liquidator"/> on the state and timestamp of <paramref name="block"/>: (seizedAssets, repaidAssets).</summary>
    public async Task<(BigInteger Seized, BigInteger Repaid)> CallLiquidateAsync(MorphoMarket m, Address liquidator, Address borrower, BigInteger seized, BigInteger repaidShares, BlockParameter block)
    {
        var f = Morpho.Abi.Function("liquidate");
        var output = await Eth.CallAsync(Morpho.Address, f.EncodeCall(m.Tuple, borrower, seized, repaidShares, Array.Empty<byte>()), block, new CallContext(Morpho.Name, f.Signature, Morpho.Abi), liquidator);
        var r = f.DecodeOutput(output);
        return ((BigInteger)r[0], (BigInteger)r[1]);
    }

    /// <summary>liquidate mined in a block stamped <paramref name="timestamp"/>; its Liquidate event.</summary>
    public async Task<LiquidateEvent> LiquidateAtAsync(MorphoMarket m, Address liquidator, Address borrower, BigInteger seized, BigInteger repaidShares, ulong timestamp)
    {
        await Eth.SetNextBlockTimestampAsync(timestamp);
        var receipt = await Morpho.SendWithGasAsync(liquidator, Gas, "liquidate", m.Tuple, borrower, seized, repaidShares, Array.Empty<byte>());
        var log = receipt.Logs.Single(l => l.Address == Morpho.Address && l.Topics.Count == 4 && l.Topics[0].AsSpan().SequenceEqual(LiquidateTopic));
        var w = AbiCodec.Decode(FiveWords, log.Data);
        return new LiquidateEvent((BigInteger)w[0], (BigInteger)w[1], (BigInteger)w[2], (BigInteger)w[3], (BigInteger)w[4]);
    }

    /// <summary>The revert of a liquidate as the model names it: ErrorsLib strings, Panic codes (over- and underflow share 0x11).</summary>
    public static string RevertKind(ContractRevertException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Reason switch
        {
            "market not created" => Kind(MorphoError.MarketNotCreated),
            "inconsistent input" => Kind(MorphoError.InconsistentInput),
            "position is healthy" => Kind(MorphoError.HealthyPosition),
            "max uint128 exceeded" => Kind(MorphoError.MaxUint128Exceeded),
            var r when r.StartsWith("Panic(0x11)", StringComparison.Ordinal) => Kind(MorphoError.ArithmeticUnderflow),
            var r when r.StartsWith("Panic(0x12)", StringComparison.Ordinal) => Kind(MorphoError.DivisionByZero),
            var r => "unmapped revert: " + r,
        };
    }

    /// <summary>The revert a model error stands for (the EVM reports over- and underflow alike).</summary>
    public static string Kind(MorphoError error) => error switch
    {
        MorphoError.ArithmeticUnderflow or MorphoError.ArithmeticOverflow => "Panic(0x11)",
        _ => error.ToString(),
    };

    /// <summary>1 unit of the collateral in loan units, at <paramref name="loanPerCollateral"/> (human units), as OracleMock's 1e36-scaled price.</summary>
    public static BigInteger OraclePrice(double loanPerCollateral, int loanDecimals, int collateralDecimals)
    {
        var mantissa = new BigInteger(loanPerCollateral * 1e15);
        var exponent = 36 + loanDecimals - collateralDecimals - 15;
        return exponent >= 0 ? mantissa * BigInteger.Pow(10, exponent) : mantissa / BigInteger.Pow(10, -exponent);
    }

    public static BigInteger UInt256Max { get; } = (BigInteger.One << 256) - 1;

    public static string Format(BigInteger v) => v.ToString(CultureInfo.InvariantCulture);
}
