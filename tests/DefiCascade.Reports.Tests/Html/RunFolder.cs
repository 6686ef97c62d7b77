namespace DefiCascade.Reports.Tests.Html;

/// <summary>A hand-written run folder (result.json, blocks.csv, liquidations.csv) in a temp directory.</summary>
public sealed class RunFolder : IDisposable
{
    public const string HostileAsset = "<img src=x onerror=alert(1)>";
    public const string HostileScenario = "crash</script><script>alert(2)</script>";

    public RunFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "defi-cascade-html-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Three blocks, WETH and an asset whose name is markup; two liquidations in block 2.</summary>
    public RunFolder WithRun()
    {
        Write("result.json", """
            {
              "schema": "defi-cascade/result/v1",
              "run": {
                "engine": "test-engine", "lendingModel": "aave-v3.0.2", "seed": 7,
                "scenario": "crash<\/script><script>alert(2)<\/script>", "scenarioDescription": "ETH & friends fall", "blockSeconds": 12,
                "snapshot": { "chainId": 1, "block": 24400000, "timestamp": 1770000000, "kind": "synthetic", "coverage": "all 20 accounts" },
                "assumptions": [ { "name": "gas price", "value": "<b>100</b> gwei", "basis": "scenario" } ]
              },
              "status": { "outcome": "converged", "blocksSimulated": 3, "pathBlocks": 2, "settleBlocks": 1, "explanation": "nothing left" },
              "totals": { "badDebtUsd": "1234567.5", "initialDebtUsd": "100000000", "badDebtPercentOfBorrows": 1.2346, "liquidationEvents": 2 },
              "prices": [ { "asset": "WETH", "startUsd": "2000", "amplificationPoints": -1.5 } ]
            }
            """);
        Write("blocks.csv", $"""
            block,timestamp,external_usd_WETH,pool_usd_WETH,oracle_usd_WETH,external_usd_{HostileAsset},pool_usd_{HostileAsset},oracle_usd_{HostileAsset},liquidations,bad_debt_usd
            1,100,2000,2001.5,2000,1,,1,0,0
            2,112,1900,1899.25,2000,1,,1,2,0
            3,124,1800,1801,1800,1,,1,0,12.5

            """);
        Write("liquidations.csv", """
            block,market,user,collateral,debt,debt_repaid_usd
            2,"Aave, core",0x01,WETH,USDC,1500.5
            2,aave,0x02,WETH,USDC,500

            """);
        return this;
    }

    public RunFolder Write(string name, string content)
    {
        File.WriteAllText(System.IO.Path.Combine(Path, name), content);
        return this;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; never mask a test's own failure.
        }
    }
}
