namespace Integrations.Sdk.Testing.Salesforce;

/// <summary>The org's data: records, opportunity stages, writes with Salesforce's validation, SOQL execution.</summary>
public sealed partial class SalesforceSimulator
{
    /// <summary>
    /// The OpportunityStage picklist: Salesforce's standard stages (label, closed, won, default probability, forecast
    /// category), then the custom ones of the second sales process (pipeline 1): <c>Discovery</c> (open) and
    /// <c>Signed</c> (closed and won). <c>Closed Lost</c> ends both processes.
    /// </summary>
    private static readonly (string Label, bool Closed, bool Won, decimal Probability, string Forecast, int Pipeline)[] Stages =
    [
        ("Prospecting", false, false, 10, "Pipeline", 0),
        ("Qualification", false, false, 10, "Pipeline", 0),
        ("Needs Analysis", false, false, 20, "Pipeline", 0),
        ("Value Proposition", false, false, 50, "Pipeline", 0),
        ("Id. Decision Makers", false, false, 60, "Pipeline", 0),
        ("Perception Analysis", false, false, 70, "Pipeline", 0),
        ("Proposal/Price Quote", false, false, 75, "Pipeline", 0),
        ("Negotiation/Review", false, false, 90, "Pipeline", 0),
        ("Closed Won", true, true, 100, "Closed", 0),
        ("Closed Lost", true, false, 0, "Omitted", -1),
        ("Discovery", false, false, 20, "Pipeline", 1),
        ("Signed", true, true, 100, "Closed", 1),
    ];

    private static string FirstOpenStage(int pipeline) => Stages.First(s => !s.Closed && s.Pipeline == pipeline).Label;

    private void SeedStages()
    {
        for (var i = 0; i < Stages.Length; i++)
        {
            var s = Stages[i];
            Insert("OpportunityStage", new()
            {
                ["MasterLabel"] = s.Label,
                ["ApiName"] = s.Label,
                ["IsActive"] = true,
                ["IsClosed"] = s.Closed,
                ["IsWon"] = s.Won,
                ["DefaultProbability"] = s.Probability,
                ["SortOrder"] = i + 1,
                ["ForecastCategoryName"] = s.Forecast,
                ["Description"] = s.Pipeline == 1 ? "Custom stage of the second sales process" : null,
            });
        }
    }

    /// <summary>Creates a record with its system fields (no validation: seeding and validated API writes).</summary>
    private SfRecord Insert(string type, Dictionary<string, JsonNode?> fields, string? userId = null)
    {
        var sobject = SalesforceSchema.Objects[type];
        var id = NewId(sobject.KeyPrefix);
        var stamp = Stamp(Time.GetUtcNow());
        var user = userId ?? _integrationUserId ?? id;
        var record = new SfRecord(sobject.Name, id, new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase));
        foreach (var field in sobject.Fields)
        {
            record.Fields[field.Name] = null;
        }

        record.Fields["Id"] = id;
        record.Fields["IsDeleted"] = false;
        record.Fields["CreatedDate"] = stamp;
        record.Fields["CreatedById"] = user;
        if (sobject.Field("OwnerId") is not null)
        {
            record.Fields["OwnerId"] = user;
        }

        foreach (var (name, value) in fields)
        {
            record.Fields[sobject.Field(name)!.Name] = value?.DeepClone();
        }

        Derive(record);
        record.Fields["LastModifiedDate"] = stamp;
        record.Fields["LastModifiedById"] = user;
        record.Fields["SystemModstamp"] = stamp;
        _records[sobject.Name].Add(record);
        _byId[id] = record;
        return record;
    }

    /// <summary>Changes a record's fields, moves its stamps and queues an outbound message when an opportunity's stage changed.</summary>
    private void Change(SfRecord record, Dictionary<string, JsonNode?> fields, string userId)
    {
        var sobject = SalesforceSchema.Objects[record.Type];
        var stageBefore = Text(record, "StageName");
        foreach (var (name, value) in fields)
        {
            record.Fields[sobject.Field(name)!.Name] = value?.DeepClone();
        }

        Derive(record);
        var stamp = Stamp(Time.GetUtcNow());
        record.Fields["LastModifiedDate"] = stamp;
        record.Fields["LastModifiedById"] = userId;
        record.Fields["SystemModstamp"] = stamp;
        if (record.Type == "Opportunity" && !string.Equals(stageBefore, Text(record, "StageName"), StringComparison.Ordinal))
        {
            QueueNotification(record);
        }
    }

    /// <summary>Fields Salesforce computes: a person's <c>Name</c>; an opportunity's <c>IsClosed</c>, <c>IsWon</c>, forecast category and (unless set) probability from its stage.</summary>
    private static void Derive(SfRecord record)
    {
        if (record.Type is "Contact" or "User")
        {
            record.Fields["Name"] = string.Join(' ', new[] { Text(record, "FirstName"), Text(record, "LastName") }.Where(p => !string.IsNullOrEmpty(p)));
        }

        if (record.Type == "Opportunity" && Text(record, "StageName") is { } stageName)
        {
            var stage = Stages.FirstOrDefault(s => string.Equals(s.Label, stageName, StringComparison.OrdinalIgnoreCase));
            if (stage.Label is not null)
            {
                record.Fields["StageName"] = stage.Label;
                record.Fields["IsClosed"] = stage.Closed;
                record.Fields["IsWon"] = stage.Won;
                record.Fields["ForecastCategoryName"] = stage.Forecast;
                record.Fields["Probability"] = stage.Probability;
            }
        }
    }

    /// <summary>
    /// Checks the fields of an API write as Salesforce does: each field exists on the object and may be written
    /// (create or update), its value has the field's type, a lookup names an existing record of its target, a stage is
    /// on the picklist; on create, required fields are present. Returns the fields by API name, or the error.
    /// </summary>
    private SfError? Validate(SfObject sobject, JsonObject body, bool create, out Dictionary<string, JsonNode?> fields)
    {
        fields = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in body)
        {
            if (name == "attributes")
            {
                continue;
            }

            var field = sobject.Field(name);
            if (field is null)
            {
                return new SfError("INVALID_FIELD", $"No such column '{name}' on sobject of type {sobject.Name}", []);
            }

            if (create ? !field.Createable : !field.Updateable)
            {
                return new SfError("INVALID_FIELD_FOR_INSERT_UPDATE", $"Unable to create/update fields: {field.Name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.", [field.Name]);
            }

            if (value is null)
            {
                if (field.Required)
                {
                    return new SfError("REQUIRED_FIELD_MISSING", $"Required fields are missing: [{field.Name}]", [field.Name]);
                }

                fields[field.Name] = null;
                continue;
            }

            if (value is not JsonValue scalar)
            {
                return new SfError("JSON_PARSER_ERROR", $"Cannot deserialize instance of {field.Type.ToString().ToLowerInvariant()} from {(value is JsonArray ? "START_ARRAY" : "START_OBJECT")} value for field {field.Name}", [field.Name]);
            }

            var kind = scalar.GetValueKind();
            switch (field.Type)
            {
                case SfType.Boolean when kind is not (JsonValueKind.True or JsonValueKind.False):
                case SfType.Currency or SfType.Double when kind != JsonValueKind.Number:
                    return new SfError("JSON_PARSER_ERROR", $"Cannot deserialize instance of {(field.Type == SfType.Boolean ? "boolean" : "double")} from VALUE_STRING value {scalar.ToJsonString()} or request may be missing a required field", [field.Name]);
                case SfType.Boolean or SfType.Currency or SfType.Double:
                    fields[field.Name] = scalar.DeepClone();
                    continue;
            }

            if (kind != JsonValueKind.String)
            {
                return new SfError("JSON_PARSER_ERROR", $"Cannot deserialize instance of string from {kind.ToString().ToUpperInvariant()} value {scalar.ToJsonString()} for field {field.Name}", [field.Name]);
            }

            var text = scalar.GetValue<string>();
            switch (field.Type)
            {
                case SfType.Date when !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _):
                    return new SfError("JSON_PARSER_ERROR", $"Cannot deserialize instance of date from VALUE_STRING value {text} or request may be missing a required field", [field.Name]);
                case SfType.Email when text.Length > 0 && !IsEmail(text):
                    return new SfError("INVALID_EMAIL_ADDRESS", $"Email: invalid email address: {text}", [field.Name]);
                case SfType.Reference:
                    var target = Find(text);
                    if (!IsIdShape(text))
                    {
                        return new SfError("MALFORMED_ID", $"{field.Name}: id value of incorrect type: {text}", [field.Name]);
                    }

                    if (target is null || target.IsDeleted || !string.Equals(target.Type, field.ReferenceTo, StringComparison.Ordinal))
                    {
                        return new SfError(target is null ? "INVALID_CROSS_REFERENCE_KEY" : "FIELD_INTEGRITY_EXCEPTION", $"{field.Name}: id value of incorrect type: {text}", [field.Name]);
                    }

                    fields[field.Name] = target.Id;
                    continue;
                case SfType.Picklist when sobject.Name == "Opportunity" && field.Name == "StageName"
                    && !Stages.Any(s => string.Equals(s.Label, text, StringComparison.OrdinalIgnoreCase)):
                    return new SfError("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", $"Stage: bad value for restricted picklist field: {text}", [field.Name]);
            }

            fields[field.Name] = text;
        }

        if (create)
        {
            var given = fields;
            var missing = sobject.Fields.Where(f => f.Required && f.Createable && (!given.TryGetValue(f.Name, out var v) || v is null)).Select(f => f.Name).ToList();
            if (missing.Count > 0)
            {
                return new SfError("REQUIRED_FIELD_MISSING", $"Required fields are missing: [{string.Join(", ", missing)}]", missing);
            }
        }

        return null;
    }

    private static bool IsEmail(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == text.LastIndexOf('@') && text.IndexOf('.', at) > at + 1 && !text.EndsWith('.') && !text.Any(char.IsWhiteSpace);
    }

    /// <summary>Runs a parsed statement: the matching rows, ordered, offset and limited, as the REST API shows them.</summary>
    private List<JsonObject> Execute(SoqlQuery query, bool includeDeleted, string version)
    {
        IEnumerable<SfRecord> rows = _records[query.From.Name].Where(r => (includeDeleted || !r.IsDeleted) && (query.Where is null || Matches(r, query.Where)));
        if (query.OrderBy.Count > 0)
        {
            var list = rows.ToList();
            list.Sort((a, b) =>
            {
                foreach (var order in query.OrderBy)
                {
                    var left = Typed(order.Path.Field, Resolve(a, order.Path));
                    var right = Typed(order.Path.Field, Resolve(b, order.Path));
                    int result;
                    if (left is null || right is null)
                    {
                        result = left is null ? (right is null ? 0 : (order.NullsFirst ? -1 : 1)) : (order.NullsFirst ? 1 : -1);
                    }
                    else
                    {
                        result = CompareTyped(left, right);
                        if (order.Descending)
                        {
                            result = -result;
                        }
                    }

                    if (result != 0)
                    {
                        return result;
                    }
                }

                return 0;
            });
            rows = list;
        }

        rows = rows.Skip(query.Offset);
        if (query.Limit is { } limit)
        {
            rows = rows.Take(limit);
        }

        return [.. rows.Select(r => Row(r, query.Select, version))];
    }

    /// <summary>A record as a query row: <c>attributes</c>, then the selected fields; parent fields nested under their relationship.</summary>
    private JsonObject Row(SfRecord record, IReadOnlyList<SoqlPath> select, string version)
    {
        var row = new JsonObject { ["attributes"] = Attributes(record, version) };
        foreach (var path in select)
        {
            var target = row;
            var current = record;
            foreach (var relationship in path.Relationships)
            {
                var parent = current is null ? null : Text(current, relationship.Field) is { } parentId ? Find(parentId) : null;
                if (parent is null)
                {
                    target[relationship.Name] = null;
                    target = null;
                    break;
                }

                if (target[relationship.Name] is not JsonObject nested)
                {
                    nested = new JsonObject { ["attributes"] = Attributes(parent, version) };
                    target[relationship.Name] = nested;
                }

                target = nested;
                current = parent;
            }

            if (target is not null && current is not null)
            {
                target[path.Field.Name] = current.Fields.GetValueOrDefault(path.Field.Name)?.DeepClone();
            }
        }

        return row;
    }

    private static JsonObject Attributes(SfRecord record, string version) => new()
    {
        ["type"] = record.Type,
        ["url"] = $"/services/data/v{version}/sobjects/{record.Type}/{record.Id}",
    };

    /// <summary>A record with every field, as <c>GET sobjects/{Object}/{id}</c> answers it.</summary>
    private static JsonObject Full(SfRecord record, string version, IReadOnlyCollection<string>? only = null)
    {
        var result = new JsonObject { ["attributes"] = Attributes(record, version) };
        foreach (var field in SalesforceSchema.Objects[record.Type].Fields)
        {
            if (only is null || only.Contains(field.Name, StringComparer.OrdinalIgnoreCase))
            {
                result[field.Name] = record.Fields.GetValueOrDefault(field.Name)?.DeepClone();
            }
        }

        return result;
    }

    private JsonNode? Resolve(SfRecord record, SoqlPath path)
    {
        var current = record;
        foreach (var relationship in path.Relationships)
        {
            current = Text(current, relationship.Field) is { } parentId ? Find(parentId) : null;
            if (current is null)
            {
                return null;
            }
        }

        return current.Fields.GetValueOrDefault(path.Field.Name);
    }

    private bool Matches(SfRecord record, SoqlCondition condition) => condition switch
    {
        SoqlAll all => all.Parts.All(p => Matches(record, p)),
        SoqlAny any => any.Parts.Any(p => Matches(record, p)),
        SoqlNot not => !Matches(record, not.Inner),
        SoqlCompare compare => Compare(record, compare),
        SoqlIn @in => @in.Values.Any(v => Equal(Typed(@in.Path.Field, Resolve(record, @in.Path)), v, @in.Path.Field)) != @in.Negated,
        SoqlLike like => Typed(like.Path.Field, Resolve(record, like.Path)) is { } v and (string or IdText) && like.Pattern.IsMatch(v.ToString()!),
        _ => false,
    };

    private bool Compare(SfRecord record, SoqlCompare compare)
    {
        var actual = Typed(compare.Path.Field, Resolve(record, compare.Path));
        if (compare.Operator is "=" or "!=")
        {
            return Equal(actual, compare.Value, compare.Path.Field) == (compare.Operator == "=");
        }

        var expected = LiteralValue(compare.Value, compare.Path.Field);
        if (actual is null || expected is null)
        {
            return false;
        }

        var result = CompareTyped(actual, expected);
        return compare.Operator switch
        {
            "<" => result < 0,
            "<=" => result <= 0,
            ">" => result > 0,
            ">=" => result >= 0,
            _ => false,
        };
    }

    private static bool Equal(object? actual, SoqlLiteral literal, SfField field)
    {
        var expected = LiteralValue(literal, field);
        if (actual is null || expected is null)
        {
            return actual is null && expected is null;
        }

        if (actual is IdText(var a) && expected is string e)
        {
            // Ids match in their 15-character (case-sensitive) or 18-character form.
            return e.Length == 15 ? string.Equals(a[..Math.Min(15, a.Length)], e, StringComparison.Ordinal) : string.Equals(a, e, StringComparison.OrdinalIgnoreCase);
        }

        return CompareTyped(actual, expected) == 0;
    }

    private static object? LiteralValue(SoqlLiteral literal, SfField field) => literal.Value switch
    {
        null => null,
        decimal n when field.Type is SfType.Currency or SfType.Double => n,
        var other => other,
    };

    /// <summary>A stored value as a comparable: text, a boolean, a number, a date or an instant.</summary>
    private static object? Typed(SfField field, JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        return field.Type switch
        {
            SfType.Boolean => value.TryGetValue<bool>(out var b) ? b : null,
            SfType.Currency or SfType.Double => value.TryGetValue<decimal>(out var n) ? n : null,
            SfType.Date => value.TryGetValue<string>(out var d) && DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null,
            SfType.DateTime => value.TryGetValue<string>(out var t) ? ParseStamp(t) : null,
            SfType.Id or SfType.Reference => value.TryGetValue<string>(out var id) ? new IdText(id) : null,
            _ => value.TryGetValue<string>(out var s) ? s : null,
        };
    }

    /// <summary>Reads a stamp as the REST API writes it (<c>2026-12-06T03:00:00.000+0000</c>).</summary>
    internal static DateTimeOffset? ParseStamp(string text) =>
        text.Length > 5 && DateTimeOffset.TryParse(text[..^2] + ":" + text[^2..], CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant) ? instant : null;

    private static int CompareTyped(object left, object right) => (left, right) switch
    {
        (string l, string r) => string.Compare(l, r, StringComparison.OrdinalIgnoreCase),
        (IdText l, IdText r) => string.CompareOrdinal(l.Value, r.Value),
        (IdText l, string r) => string.CompareOrdinal(l.Value, r),
        (bool l, bool r) => l.CompareTo(r),
        (decimal l, decimal r) => l.CompareTo(r),
        (DateOnly l, DateOnly r) => l.CompareTo(r),
        (DateTimeOffset l, DateTimeOffset r) => l.CompareTo(r),
        _ => string.Compare(left.ToString(), right.ToString(), StringComparison.Ordinal),
    };

    /// <summary>An id as a comparable: ordered and compared case-sensitively (ids are case-sensitive in their 15-character form).</summary>
    private readonly record struct IdText(string Value)
    {
        public override string ToString() => Value;
    }

    /// <summary>An error of Salesforce's array: <c>errorCode</c> (<c>statusCode</c> in sObject Collections results), <c>message</c>, <c>fields</c>.</summary>
    private sealed record SfError(string Code, string Message, IReadOnlyList<string> Fields)
    {
        public JsonObject ToJson(string codeName = "errorCode") => new()
        {
            ["message"] = Message,
            [codeName] = Code,
            ["fields"] = new JsonArray([.. Fields.Select(f => (JsonNode)JsonValue.Create(f))]),
        };
    }
}
