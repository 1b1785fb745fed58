namespace Integrations.Sdk.Testing.Xero;

/// <summary>Saving and loading the simulator's data, so a second process finds what the first one wrote.</summary>
public sealed partial class XeroSimulator
{
    private static readonly SimulatorPersistence Persistence = new(
        "Xero simulator",
        new JsonObject { ["format"] = "Integrations.Sdk.Testing.XeroSimulator", ["version"] = 1 });

    /// <summary>
    /// Writes the simulator's data to <paramref name="path"/> as JSON: the organisation (tenant id, app credentials,
    /// webhook key, base currency, name, added currencies, day rates, bank account codes), every record (contacts,
    /// items, invoices, credit notes, payments, accounts, tax rates, tracking categories), the <c>Idempotency-Key</c>
    /// memory, access and refresh tokens and the counts. Faults, limit windows and other settings are not saved.
    /// </summary>
    /// <param name="path">The file; replaced if it exists.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task SaveAsync(string path, CancellationToken cancellationToken = default) => Persistence.SaveAsync(path, Locked(() => new JsonObject
    {
        ["tenantId"] = TenantId,
        ["clientId"] = ClientId,
        ["clientSecret"] = ClientSecret,
        ["webhookKey"] = WebhookKey,
        ["homeCurrency"] = HomeCurrency,
        ["organisationName"] = OrganisationName,
        ["currencies"] = new JsonArray([.. Currencies.Order(StringComparer.Ordinal).Select(c => (JsonNode)c)]),
        ["dayRates"] = new JsonObject(DayRates.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value))),
        ["bankAccountCodes"] = new JsonArray([.. BankAccountCodes.Order(StringComparer.Ordinal).Select(c => (JsonNode)c)]),
        ["records"] = new JsonObject(_records.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)new JsonArray([.. r.Value.Select(o => o.DeepClone())])))),
        ["idempotent"] = new JsonArray([.. _idempotent.Select(r => (JsonNode)new JsonObject { ["key"] = r.Key, ["status"] = r.Value.Status, ["body"] = r.Value.Body })]),
        ["refreshTokens"] = new JsonObject(_refreshTokens.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))),
        ["accessTokens"] = new JsonObject(_accessTokens.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value.ToString("O", CultureInfo.InvariantCulture)))),
        ["refreshCount"] = _refreshCount,
        ["writes"] = _writes,
    }), cancellationToken);

    /// <summary>
    /// Replaces the simulator's data with what <see cref="SaveAsync"/> wrote to <paramref name="path"/>, the tenant id
    /// and app credentials included (so a connector set up from this simulator after the load presents the ones its
    /// token store knows, and the refresh token it kept from the first run is still accepted).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidDataException">The file is not a saved Xero simulator.</exception>
    public async Task LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var root = await Persistence.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        if (Str(root["tenantId"]) is not { Length: > 0 } tenant || root["records"] is not JsonObject records)
        {
            throw Persistence.Invalid(path, "it holds no tenantId or no records");
        }

        lock (Gate)
        {
            TenantId = tenant;
            ClientId = Str(root["clientId"]) ?? ClientId;
            ClientSecret = Str(root["clientSecret"]) ?? ClientSecret;
            WebhookKey = Str(root["webhookKey"]) ?? WebhookKey;
            HomeCurrency = Str(root["homeCurrency"]) ?? HomeCurrency;
            OrganisationName = Str(root["organisationName"]) ?? OrganisationName;
            Currencies.Clear();
            Currencies.UnionWith((root["currencies"] as JsonArray ?? []).Select(Str).OfType<string>());
            DayRates.Clear();
            foreach (var (currency, rate) in root["dayRates"] as JsonObject ?? [])
            {
                DayRates[currency] = Num(rate) ?? 1;
            }

            BankAccountCodes.Clear();
            BankAccountCodes.UnionWith((root["bankAccountCodes"] as JsonArray ?? []).Select(Str).OfType<string>());
            foreach (var name in _records.Keys.ToList())
            {
                _records[name] = [.. (records[name] as JsonArray ?? []).OfType<JsonObject>().Select(o => (JsonObject)o.DeepClone())];
            }

            _idempotent.Clear();
            foreach (var entry in (root["idempotent"] as JsonArray ?? []).OfType<JsonObject>())
            {
                _idempotent[Str(entry["key"])!] = ((int)(Num(entry["status"]) ?? 200), Str(entry["body"]) ?? "{}");
            }

            _refreshTokens.Clear();
            foreach (var (token, state) in root["refreshTokens"] as JsonObject ?? [])
            {
                _refreshTokens[token] = Str(state) ?? "used";
            }

            _accessTokens.Clear();
            foreach (var (token, expires) in root["accessTokens"] as JsonObject ?? [])
            {
                _accessTokens[token] = DateTimeOffset.TryParse(Str(expires), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.MinValue;
            }

            _refreshCount = (int)(Num(root["refreshCount"]) ?? 0);
            _writes = (int)(Num(root["writes"]) ?? 0);
        }
    }
}
