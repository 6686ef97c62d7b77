using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Artifacts;

namespace DefiCascade.Ethereum.Tests;

public sealed class ContractArtifactTests : IDisposable
{
    // hardhat writes "__$" + 34 hex digits of the library's hashed name + "$__": 40 characters, 20 bytes.
    private const string Placeholder = "__$0123456789abcdef0123456789abcdef01$__";
    private readonly string _dir = Directory.CreateTempSubdirectory("artifact-tests").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Hardhat_artifact_links_each_library_at_its_offsets()
    {
        // 0x6000 | Logic at byte 2 | 0x6001 | Logic at byte 24 | 0x6002 | Other at byte 46
        var bytecode = "0x6000" + Placeholder + "6001" + Placeholder + "6002" + Placeholder;
        var path = Write("Pool.json", $$$"""
            {"_format":"hh-sol-artifact-1","contractName":"Pool","abi":[],"bytecode":"{{{bytecode}}}",
             "linkReferences":{"contracts/Logic.sol":{"Logic":[{"start":2,"length":20},{"start":24,"length":20}]},
                               "contracts/Other.sol":{"Other":[{"start":46,"length":20}]} } }
            """);
        var artifact = ContractArtifact.Load(path);
        Assert.Equal("Pool", artifact.Name);
        Assert.Equal(["Logic", "Other"], artifact.UnlinkedLibraries);
        Assert.Throws<InvalidOperationException>(() => artifact.CreationBytecode());

        var logic = Address.Parse("0x1111111111111111111111111111111111111111");
        var other = Address.Parse("0x00000000000000000000000000000000000000ff");
        var partly = artifact.Link(new Dictionary<string, Address> { ["Logic"] = logic });
        Assert.Equal(["Other"], partly.UnlinkedLibraries);
        var linked = partly.Link(new Dictionary<string, Address> { ["contracts/Other.sol:Other"] = other });

        Assert.Equal(
            "6000" + logic.Hex[2..] + "6001" + logic.Hex[2..] + "6002" + other.Hex[2..],
            Convert.ToHexStringLower(linked.CreationBytecode()));
    }

    [Fact]
    public void Linking_an_unknown_library_or_a_wrong_offset_fails()
    {
        var path = Write("Bad.json", $$$"""
            {"contractName":"Bad","abi":[],"bytecode":"0x6000{{{Placeholder}}}",
             "linkReferences":{"L.sol":{"L":[{"start":1,"length":20}]} } }
            """);
        var artifact = ContractArtifact.Load(path);
        Assert.Throws<ArgumentException>(() => artifact.Link(new Dictionary<string, Address> { ["Nope"] = Address.Zero }));
        Assert.Throws<FormatException>(() => artifact.Link(new Dictionary<string, Address> { ["L"] = Address.Zero }));
    }

    [Fact]
    public void Waffle_and_solc_formats_load()
    {
        var waffle = ContractArtifact.Load(Write("ERC20.json", """
            {"abi":[{"type":"constructor","inputs":[{"name":"_totalSupply","type":"uint256"}]}],
             "evm":{"bytecode":{"object":"6080"}},"bytecode":"60806040"}
            """));
        Assert.Equal("ERC20", waffle.Name);
        Assert.Equal([0x60, 0x80, 0x60, 0x40], waffle.CreationBytecode());
        Assert.Equal("constructor(uint256)", waffle.Abi.Constructor!.Signature);

        var solc = ContractArtifact.Load(Write("Solc.json", """{"abi":[],"evm":{"bytecode":{"object":"6001","linkReferences":{}}}}"""));
        Assert.Equal([0x60, 0x01], solc.CreationBytecode());

        Assert.Throws<FormatException>(() => ContractArtifact.Load(Write("Iface.json", """{"abi":[],"bytecode":"0x"}""")));
    }

    private string Write(string name, string json)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, json);
        return path;
    }
}
