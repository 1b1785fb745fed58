namespace Integrations.Sdk.State;

/// <summary>The names under which the SDK takes <see cref="IDistributedLock"/> locks.</summary>
internal static class LockNames
{
    /// <summary>The lock held for a whole run of a sync with a source: <c>sync:{name}</c>.</summary>
    /// <param name="sync">The sync's name.</param>
    public static string Sync(string sync) => "sync:" + sync;

    /// <summary>The lock held while one record key is processed: <c>record:{sync}:{key}</c>.</summary>
    /// <param name="sync">The sync's name.</param>
    /// <param name="recordKey">The record's key.</param>
    public static string Record(string sync, string recordKey) => "record:" + sync + ":" + recordKey;

    /// <summary>The lock held while an OAuth token is refreshed: <c>oauth:{connector}:{account}</c>.</summary>
    /// <param name="connector">The connector's name.</param>
    /// <param name="account">The account.</param>
    public static string TokenRefresh(string connector, string account) => "oauth:" + connector + ":" + account;
}
