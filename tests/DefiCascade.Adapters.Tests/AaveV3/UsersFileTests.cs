using DefiCascade.Adapters.AaveV3;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Adapters.Tests.AaveV3;

public sealed class UsersFileTests
{
    [Fact]
    public void Reads_addresses_skipping_comments_and_blanks_sorted_without_duplicates()
    {
        const string text = "# borrowers of interest\r\n0xBBBB000000000000000000000000000000000002\n\n  0xaaaa000000000000000000000000000000000001  # whale\n0xbbbb000000000000000000000000000000000002\n";

        var users = UsersFile.Parse(text, "users.txt");

        Assert.Equal(
            [Address.Parse("0xaaaa000000000000000000000000000000000001"), Address.Parse("0xbbbb000000000000000000000000000000000002")],
            users);
    }

    [Theory]
    [InlineData("0xaaaa000000000000000000000000000000000001\n# ok\nnot-an-address\n", "users.txt:3: 'not-an-address'")]
    [InlineData("0xaaaa00000000000000000000000000000000001 # 39 digits\n", "users.txt:1: '0xaaaa00000000000000000000000000000000001'")]
    [InlineData("\n\n0xaaaa000000000000000000000000000000000001 0xbbbb000000000000000000000000000000000002\n", "users.txt:3:")]
    public void An_error_names_the_file_the_line_and_the_text(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => UsersFile.Parse(text, "users.txt"));
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_is_no_users()
    {
        Assert.Empty(UsersFile.Parse("# nobody yet\n\n", "users.txt"));
    }
}
