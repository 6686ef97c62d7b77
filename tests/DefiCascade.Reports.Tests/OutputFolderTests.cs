using System.Numerics;
using DefiCascade.Reports;

namespace DefiCascade.Reports.Tests;

public class OutputFolderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "defi-cascade-out-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Writes_every_file_and_leaves_no_temporaries()
    {
        var dir = Path.Combine(_root, "run");
        var replaced = OutputFolder.WriteAll(dir, [("a.json", "{}\n"), ("b.csv", "x\n")]);

        Assert.Empty(replaced);
        Assert.Equal(["a.json", "b.csv"], Directory.GetFiles(dir).Select(Path.GetFileName).Order());
        Assert.Equal("{}\n", File.ReadAllText(Path.Combine(dir, "a.json")));
    }

    [Fact]
    public void Says_which_files_of_an_earlier_run_it_replaced()
    {
        var dir = Path.Combine(_root, "run");
        OutputFolder.WriteAll(dir, [("a.json", "old")]);
        var replaced = OutputFolder.WriteAll(dir, [("a.json", "new"), ("b.csv", "x")]);

        Assert.Equal(["a.json"], replaced);
        Assert.Equal("new", File.ReadAllText(Path.Combine(dir, "a.json")));
    }

    [Fact]
    public void A_failure_before_the_renames_leaves_nothing_and_removes_the_folder_it_created()
    {
        var dir = Path.Combine(_root, "run");
        // The second name is a path into a folder that does not exist: writing its temp file fails.
        Assert.ThrowsAny<IOException>(() => OutputFolder.WriteAll(dir, [("a.json", "{}"), (Path.Combine("missing", "b.csv"), "x")]));

        Assert.False(Directory.Exists(dir), "the folder this call created must be gone, with no half-written files");
    }

    [Fact]
    public void A_failure_keeps_the_files_of_an_earlier_run_intact()
    {
        var dir = Path.Combine(_root, "run");
        OutputFolder.WriteAll(dir, [("a.json", "earlier")]);

        Assert.ThrowsAny<IOException>(() => OutputFolder.WriteAll(dir, [("a.json", "later"), (Path.Combine("missing", "b.csv"), "x")]));

        Assert.Equal(["a.json"], Directory.GetFiles(dir).Select(Path.GetFileName));
        Assert.Equal("earlier", File.ReadAllText(Path.Combine(dir, "a.json")));
    }

    [Fact]
    public void Refuses_an_out_path_that_is_a_file()
    {
        Directory.CreateDirectory(_root);
        var file = Path.Combine(_root, "taken");
        File.WriteAllText(file, "user data");

        Assert.Throws<IOException>(() => OutputFolder.WriteAll(file, [("a.json", "{}")]));
        Assert.Equal("user data", File.ReadAllText(file));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}

public class UsdTests
{
    [Theory]
    [InlineData("123456789012", "1234.56789012")]
    [InlineData("100000000", "1")]
    [InlineData("1", "0.00000001")]
    [InlineData("-250000000", "-2.5")]
    public void Exact_keeps_every_digit_of_the_8_decimal_integer(string usd8, string expected) =>
        Assert.Equal(expected, Usd.Exact(BigInteger.Parse(usd8)));

    [Theory]
    [InlineData("123456789012345", "$1,234,568")]
    [InlineData("1234567", "$0.01")]
    [InlineData("99999000000", "$999.99")]
    public void Human_rounds_for_people(string usd8, string expected) =>
        Assert.Equal(expected, Usd.Human(BigInteger.Parse(usd8)));

    [Fact]
    public void Health_factor_of_an_account_without_debt_reads_no_debt()
    {
        Assert.Equal("no debt", Usd.HealthFactor((BigInteger.One << 256) - 1));
        Assert.Equal("1.113750", Usd.HealthFactor(BigInteger.Parse("1113750000000000000")));
    }
}
