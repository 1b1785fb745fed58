using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace Integrations.Sdk.HubSpot.Internal;

/// <summary>The JSON settings of HubSpot's wire: camelCase, nulls left out.</summary>
internal static class HubSpotJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>A new settings object each time: the transport sets its exception factory on it.</summary>
    public static RefitSettings CreateRefitSettings() => new(new SystemTextJsonContentSerializer(Options));
}
