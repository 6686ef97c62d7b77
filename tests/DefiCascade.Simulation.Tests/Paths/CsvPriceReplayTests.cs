using System.Numerics;
using DefiCascade.Simulation.Paths;
using DefiCascade.Simulation.Scenarios;

namespace DefiCascade.Simulation.Tests.Paths;

public class CsvPriceReplayTests
{
    // ETH rows at t = 1000, 1030, 1090 s (BTC rows in between are skipped); 12-second blocks.
    private const string Timestamped = """
        timestamp,asset,price
        # March-like drop, made up for the test
        1000,ETH,200
        1000,BTC,5000
        1030,ETH,170
        1090,ETH,110
        1095,BTC,4000
        """;

    private static BigInteger At(IReadOnlyList<PathPoint> path, int block) => Assert.Single(path, p => p.Block == block).MultiplierWad;

    [Fact]
    public void Timestamped_prices_are_interpolated_to_every_block_as_a_multiplier_of_block_0()
    {
        var path = CsvPriceReplay.ToBlockPath(Timestamped, "eth.csv", "ETH", null, 12, 10);

        Assert.Equal(11, path.Count);                                    // blocks 0..10
        Assert.Equal(Wad.One, At(path, 0));                              // t 1000: $200, the reference
        Assert.Equal(Wad.FromDecimal("0.94"), At(path, 1));              // t 1012: 200 - 30 x 12/30 = 188
        Assert.Equal(Wad.FromDecimal("0.88"), At(path, 2));              // t 1024: 200 - 30 x 24/30 = 176
        Assert.Equal(Wad.FromDecimal("0.82"), At(path, 3));              // t 1036: 170 - 60 x 6/60 = 164
        Assert.Equal(Wad.FromDecimal("0.70"), At(path, 5));              // t 1060: 170 - 60 x 30/60 = 140
        Assert.Equal(Wad.FromDecimal("0.55"), At(path, 8));              // t 1096: after the last row, flat at 110
        Assert.Equal(Wad.FromDecimal("0.55"), At(path, 10));
    }

    [Fact]
    public void A_start_timestamp_moves_block_0_and_the_reference_price()
    {
        var path = CsvPriceReplay.ToBlockPath(Timestamped, "eth.csv", "ETH", 1030, 12, 10);

        Assert.Equal(Wad.One, At(path, 0));                              // t 1030: $170
        // t 1090: $110; 110 / 170 = 0.6470588235294117647..., rounded toward zero at 18 decimals.
        Assert.Equal(BigInteger.Parse("647058823529411764"), At(path, 5));
        // The other asset of the same file: t 1000 $5,000 -> t 1095 $4,000; block 4 (t 1048): 5000 - 1000 x 48/95 = 4494.736842...
        var btc = CsvPriceReplay.ToBlockPath(Timestamped, "eth.csv", "BTC", null, 12, 10);
        Assert.Equal(BigInteger.Parse("898947368421052631"), At(btc, 4)); // the move rounds toward zero (price 4494.736842105263157895), the ratio down
    }

    [Fact]
    public void Block_numbered_rows_count_from_the_scenario_start()
    {
        // Block 0 $1, block 3 $2: block 1 is 1 + 1/3, truncated at 18 decimals.
        var path = CsvPriceReplay.ToBlockPath("block,asset,price\n0,USDC,1\n3,USDC,2\n", "u.csv", "USDC", null, 12, 4);
        Assert.Equal(BigInteger.Parse("1333333333333333333"), At(path, 1));
        Assert.Equal(BigInteger.Parse("1666666666666666666"), At(path, 2));
        Assert.Equal(Wad.FromDecimal("2"), At(path, 4));
    }

    [Theory]
    [InlineData("time,asset,price\n1,ETH,1\n", "x.csv:1", "", "header must be")]
    [InlineData("timestamp,asset,price\n1,ETH,1\n2,ETH,abc\n", "x.csv:3", "price", "not a decimal number")]
    [InlineData("timestamp,asset,price\n1,ETH,1\n2,ETH,0\n", "x.csv:3", "price", "not a positive price")]
    [InlineData("timestamp,asset,price\n5,ETH,1\n\n5,ETH,2\n", "x.csv:4", "timestamp", "increasing time order")]
    [InlineData("timestamp,asset,price\n-5,ETH,1\n", "x.csv:2", "timestamp", "not a whole non-negative number")]
    [InlineData("block,asset,price\n1,ETH\n", "x.csv:2", "", "expected 3 columns")]
    [InlineData("timestamp,asset,price\n1,BTC,1\n", "x.csv", "asset", "no rows for asset 'ETH'")]
    public void Bad_files_are_refused_naming_file_line_and_column(string text, string where, string column, string problem)
    {
        var e = Assert.Throws<ScenarioFormatException>(() => CsvPriceReplay.ToBlockPath(text, "x.csv", "ETH", null, 12, 10));
        Assert.Equal(where, e.FileName);
        Assert.Equal(column, e.Field);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }
}
