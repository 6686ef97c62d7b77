using System.Diagnostics;
using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Artifacts;
using DefiCascade.Ethereum.Client;

namespace DefiCascade.Chain.Testing;

/// <summary>One listed reserve: the underlying (Aave's MintableERC20), its aToken, variable-debt token and price feed.</summary>
public sealed record AaveWorldAsset(string Symbol, int Decimals, Contract Token, Contract AToken, Contract VariableDebt, Contract Aggregator)
{
    public BigInteger Unit => BigInteger.Pow(10, Decimals);
}

/// <summary>Where one reserve's contracts live in the once-per-run world.</summary>
public sealed record AaveAssetAddresses(Address Token, Address AToken, Address VariableDebt, Address Aggregator);

/// <summary>
/// Where the prepared Aave market lives in the once-per-run world (<see cref="ChainWorld"/>), reserves in
/// <see cref="AaveWorld.Config"/>'s order, and what deploying it cost.
/// </summary>
public sealed record AaveWorldAddresses(
    Address Pool,
    Address Configurator,
    Address Oracle,
    Address DataProvider,
    Address ZeroStrategy,
    IReadOnlyList<AaveAssetAddresses> Assets,
    BigInteger DeployGas,
    int Transactions,
    TimeSpan DeployTime);

/// <summary>
/// A real Aave V3 market (npm @aave/core-v3 1.19.3 artifacts) deployed with the project's Ethereum layer in CHAIN.md's
/// order. Reserves USDC (6), WBTC (8), WETH (18), DAI (18); e-mode category 1 "stables" = {USDC, DAI}, priced from
/// DAI. <see cref="PrepareAsync"/> accrues a year of interest once and then sets an all-zero rate strategy: the indexes
/// stay off 1e27 (the model's rayMul / rayDiv rounding is exercised) and block timestamps cannot move amounts.
/// </summary>
public sealed partial class AaveWorld
{
    /// <summary>Enough for supply, borrow, setUserEMode and liquidationCall of this 4-reserve market; skips estimates.</summary>
    public const ulong Gas = 1_500_000;

    public const int EModeId = 1;

    /// <summary>(symbol, decimals, LTV, threshold, bonus, protocol fee, e-mode) per reserve. WETH is CHAIN.md's.</summary>
    public static readonly (string Symbol, int Decimals, int Ltv, int Lt, int Bonus, int Fee, int EMode)[] Config =
    [
        ("USDC", 6, 7700, 8000, 10450, 1000, EModeId),
        ("WBTC", 8, 7000, 7500, 10650, 2000, 0),
        ("WETH", 18, 8000, 8250, 10500, 1000, 0),
        ("DAI", 18, 6300, 7700, 10500, 500, EModeId),
    ];

    /// <summary>The e-mode category: LTV 90%, threshold 93%, bonus 3%, priced from DAI's feed.</summary>
    public static readonly (int Ltv, int Lt, int Bonus, string PriceSource, string Label) EMode = (9000, 9300, 10300, "DAI", "stables");

    private static ContractArtifact Art(string path) =>
        ContractArtifact.Load(ChainPaths.Artifact("@aave/core-v3/artifacts/contracts/" + path));

    private static ContractArtifact Logic(string name) => Art($"protocol/libraries/logic/{name}.sol/{name}.json");

    private AaveWorld(EthClient eth, Address admin, Address treasury)
    {
        Eth = eth;
        Admin = admin;
        Treasury = treasury;
    }

    public EthClient Eth { get; }

    public Address Admin { get; }

    public Address Treasury { get; }

    public Contract Pool { get; private set; } = null!;

    public Contract Configurator { get; private set; } = null!;

    public Contract Oracle { get; private set; } = null!;

    public Contract DataProvider { get; private set; } = null!;

    public IReadOnlyList<AaveWorldAsset> Assets { get; private set; } = [];

    public BigInteger DeployGas { get; private set; }

    /// <summary>The all-zero rate strategy: with it the indexes stay where they are, whatever the block timestamps.</summary>
    public Address ZeroStrategy { get; private set; }

    public TimeSpan DeployTime { get; private set; }

    public int Transactions { get; private set; }

    public int IndexOf(string symbol) => Assets.Select((a, i) => (a, i)).First(p => p.a.Symbol == symbol).i;

    /// <summary>Moves a price: MockAggregator keeps its answer (int256 _latestAnswer) in storage slot 0 and has no setter.</summary>
    public Task SetPriceAsync(int asset, BigInteger price) => Eth.SetStorageAtAsync(Assets[asset].Aggregator.Address, BigInteger.Zero, price);

    public static async Task<AaveWorld> DeployAsync(EthClient eth, Address admin, Address treasury)
    {
        var clock = Stopwatch.StartNew();
        var w = new AaveWorld(eth, admin, treasury);
        await w.DeployMarketAsync().ConfigureAwait(false);
        w.DeployTime = clock.Elapsed;
        return w;
    }

    public AaveWorldAddresses Addresses => new(
        Pool.Address,
        Configurator.Address,
        Oracle.Address,
        DataProvider.Address,
        ZeroStrategy,
        Assets.Select(a => new AaveAssetAddresses(a.Token.Address, a.AToken.Address, a.VariableDebt.Address, a.Aggregator.Address)).ToArray(),
        DeployGas,
        Transactions,
        DeployTime);

    /// <summary>
    /// The market already deployed (and prepared: see <see cref="PrepareAsync"/>) at <paramref name="addresses"/> on this
    /// node, a node started from the world's state. Deployment gas, transactions and time are the recorded ones.
    /// </summary>
    public static AaveWorld Attach(EthClient eth, Address admin, Address treasury, AaveWorldAddresses addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var erc20 = Art("mocks/tokens/MintableERC20.sol/MintableERC20.json");
        var aggregator = Art("mocks/oracle/CLAggregators/MockAggregator.sol/MockAggregator.json");
        var tokenArtifact = Art("protocol/tokenization/AToken.sol/AToken.json");
        var debtArtifact = Art("protocol/tokenization/VariableDebtToken.sol/VariableDebtToken.json");
        var oracle = Art("misc/AaveOracle.sol/AaveOracle.json");
        var dataProvider = Art("misc/AaveProtocolDataProvider.sol/AaveProtocolDataProvider.json");
        return new AaveWorld(eth, admin, treasury)
        {
            Pool = new Contract(eth, "Pool", Art("protocol/pool/Pool.sol/Pool.json").Abi, addresses.Pool),
            Configurator = new Contract(eth, "PoolConfigurator", Art("protocol/pool/PoolConfigurator.sol/PoolConfigurator.json").Abi, addresses.Configurator),
            Oracle = new Contract(eth, oracle.Name, oracle.Abi, addresses.Oracle),
            DataProvider = new Contract(eth, dataProvider.Name, dataProvider.Abi, addresses.DataProvider),
            ZeroStrategy = addresses.ZeroStrategy,
            Assets = addresses.Assets.Select((a, i) => new AaveWorldAsset(
                Config[i].Symbol,
                Config[i].Decimals,
                new Contract(eth, erc20.Name, erc20.Abi, a.Token),
                new Contract(eth, "a" + Config[i].Symbol, tokenArtifact.Abi, a.AToken),
                new Contract(eth, "vd" + Config[i].Symbol, debtArtifact.Abi, a.VariableDebt),
                new Contract(eth, aggregator.Name, aggregator.Abi, a.Aggregator))).ToArray(),
            DeployGas = addresses.DeployGas,
            Transactions = addresses.Transactions,
            DeployTime = addresses.DeployTime,
        };
    }

    private async Task SendAsync(Contract c, string function, params object[] args)
    {
        var receipt = await c.SendAsync(Admin, function, args).ConfigureAwait(false);
        DeployGas += receipt.GasUsed;
        Transactions++;
    }

    private async Task DeployMarketAsync()
    {
        var provider = await Tracked(Art("protocol/configuration/PoolAddressesProvider.sol/PoolAddressesProvider.json"), "DefiCascade", Admin);
        await SendAsync(provider, "setACLAdmin", Admin);
        var acl = await Tracked(Art("protocol/configuration/ACLManager.sol/ACLManager.json"), provider.Address);
        await SendAsync(provider, "setACLManager", acl.Address);
        await SendAsync(acl, "addPoolAdmin", Admin);
        await SendAsync(acl, "addEmergencyAdmin", Admin);
        await SendAsync(acl, "addRiskAdmin", Admin);

        // libraries: FlashLoanLogic links BorrowLogic, so BorrowLogic goes first.
        var libs = new Dictionary<string, Address>();
        foreach (var name in (string[])["SupplyLogic", "BorrowLogic", "LiquidationLogic", "EModeLogic", "BridgeLogic", "PoolLogic"])
        {
            libs[name] = (await Tracked(Logic(name))).Address;
        }

        libs["FlashLoanLogic"] = (await Tracked(Logic("FlashLoanLogic").Link(new Dictionary<string, Address> { ["BorrowLogic"] = libs["BorrowLogic"] }))).Address;
        var configuratorLogic = await Tracked(Logic("ConfiguratorLogic"));

        var poolArtifact = Art("protocol/pool/Pool.sol/Pool.json");
        var poolImpl = await Tracked(poolArtifact.Link(libs), provider.Address);
        var configuratorArtifact = Art("protocol/pool/PoolConfigurator.sol/PoolConfigurator.json");
        var configuratorImpl = await Tracked(configuratorArtifact.Link(new Dictionary<string, Address> { ["ConfiguratorLogic"] = configuratorLogic.Address }));
        await SendAsync(provider, "setPoolImpl", poolImpl.Address);
        await SendAsync(provider, "setPoolConfiguratorImpl", configuratorImpl.Address);
        Pool = new Contract(Eth, "Pool", poolArtifact.Abi, (Address)(await provider.CallAsync("getPool"))[0]);
        Configurator = new Contract(Eth, "PoolConfigurator", configuratorArtifact.Abi, (Address)(await provider.CallAsync("getPoolConfigurator"))[0]);
        DataProvider = await Tracked(Art("misc/AaveProtocolDataProvider.sol/AaveProtocolDataProvider.json"), provider.Address);

        var erc20 = Art("mocks/tokens/MintableERC20.sol/MintableERC20.json");
        var aggregator = Art("mocks/oracle/CLAggregators/MockAggregator.sol/MockAggregator.json");
        var tokens = new List<Contract>();
        var feeds = new List<Contract>();
        foreach (var (symbol, decimals, _, _, _, _, _) in Config)
        {
            tokens.Add(await Tracked(erc20, symbol, symbol, (byte)decimals));
            feeds.Add(await Tracked(aggregator, BigInteger.Pow(10, 8)));
        }

        Oracle = await Tracked(
            Art("misc/AaveOracle.sol/AaveOracle.json"),
            provider.Address,
            tokens.Select(t => (object)t.Address).ToArray(),
            feeds.Select(f => (object)f.Address).ToArray(),
            Address.Zero,
            Address.Zero,
            BigInteger.Pow(10, 8));
        await SendAsync(provider, "setPriceOracle", Oracle.Address);

        var aTokenImpl = await Tracked(Art("protocol/tokenization/AToken.sol/AToken.json"), Pool.Address);
        var variableImpl = await Tracked(Art("protocol/tokenization/VariableDebtToken.sol/VariableDebtToken.json"), Pool.Address);
        var stableImpl = await Tracked(Art("protocol/tokenization/StableDebtToken.sol/StableDebtToken.json"), Pool.Address);
        var ray = BigInteger.Pow(10, 27);
        // listed with a real curve (2% base, 4% / 75% slopes at 80% usage); PrepareAsync later switches to all zeros.
        var strategyArtifact = Art("protocol/pool/DefaultReserveInterestRateStrategy.sol/DefaultReserveInterestRateStrategy.json");
        var pct = ray / 100;
        var strategy = await Tracked(strategyArtifact, provider.Address, ray * 8 / 10, 2 * pct, 4 * pct, 75 * pct, 2 * pct, 75 * pct, 2 * pct, 8 * pct, ray / 5);
        ZeroStrategy = (await Tracked(strategyArtifact, provider.Address, ray * 8 / 10, 0, 0, 0, 0, 0, 0, 0, ray / 5)).Address;

        var inputs = Config.Select((c, i) => (object)new object[]
        {
            aTokenImpl.Address, stableImpl.Address, variableImpl.Address, c.Decimals, strategy.Address, tokens[i].Address, Treasury, Address.Zero,
            "a" + c.Symbol, "a" + c.Symbol, "vd" + c.Symbol, "vd" + c.Symbol, "sd" + c.Symbol, "sd" + c.Symbol, Array.Empty<byte>(),
        }).ToArray();
        await SendAsync(Configurator, "initReserves", (object)inputs);

        await SendAsync(Configurator, "setEModeCategory", EModeId, EMode.Ltv, EMode.Lt, EMode.Bonus, tokens[Array.FindIndex(Config, c => c.Symbol == EMode.PriceSource)].Address, EMode.Label);
        var assets = new List<AaveWorldAsset>();
        var tokenArtifact = Art("protocol/tokenization/AToken.sol/AToken.json");
        var debtArtifact = Art("protocol/tokenization/VariableDebtToken.sol/VariableDebtToken.json");
        for (var i = 0; i < Config.Length; i++)
        {
            var c = Config[i];
            var t = tokens[i].Address;
            await SendAsync(Configurator, "configureReserveAsCollateral", t, c.Ltv, c.Lt, c.Bonus);
            await SendAsync(Configurator, "setReserveBorrowing", t, true);
            await SendAsync(Configurator, "setReserveFactor", t, 1000);
            await SendAsync(Configurator, "setLiquidationProtocolFee", t, c.Fee);
            if (c.EMode != 0)
            {
                await SendAsync(Configurator, "setAssetEModeCategory", t, c.EMode);
            }

            var addresses = await DataProvider.CallAsync("getReserveTokensAddresses", t);
            assets.Add(new AaveWorldAsset(
                c.Symbol,
                c.Decimals,
                tokens[i],
                new Contract(Eth, "a" + c.Symbol, tokenArtifact.Abi, (Address)addresses[0]),
                new Contract(Eth, "vd" + c.Symbol, debtArtifact.Abi, (Address)addresses[2]),
                feeds[i]));
        }

        Assets = assets;

        async Task<Contract> Tracked(ContractArtifact artifact, params object[] args)
        {
            // EthClient.DeployAsync without the receipt: the same creation transaction, its gas counted.
            byte[] encoded = artifact.Abi.Constructor is { } ctor ? ctor.EncodeArguments(args) : [];
            var receipt = await Eth.SendTransactionAsync(Admin, null, [.. artifact.CreationBytecode(), .. encoded], context: new CallContext(artifact.Name, "constructor", artifact.Abi)).ConfigureAwait(false);
            DeployGas += receipt.GasUsed;
            Transactions++;
            return new Contract(Eth, artifact.Name, artifact.Abi, receipt.ContractAddress ?? throw new InvalidOperationException($"{artifact.Name}: no contract address"));
        }
    }
}
