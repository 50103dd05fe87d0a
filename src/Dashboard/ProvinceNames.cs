using BatchEngine.Data;
using BatchEngine.Data.Register;

namespace BatchEngine.Dashboard;

/// <summary>Province names for the pages (the code where a name is not known), read once when the host starts.</summary>
public sealed class ProvinceNames(Database database)
{
    private IReadOnlyDictionary<string, string> _names = new Dictionary<string, string>();

    public async Task LoadAsync() => _names = (await new RegisterStore(database).ProvincesAsync()).ToDictionary(p => p.Code, p => p.Name);

    public IReadOnlyDictionary<string, string> All => _names;

    public string this[string? code] => code is null ? "" : _names.GetValueOrDefault(code, code);
}
