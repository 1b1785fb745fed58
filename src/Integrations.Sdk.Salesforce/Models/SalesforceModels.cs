namespace Integrations.Sdk.Salesforce.Models;

/// <summary>A record to create (<c>POST /sobjects/{SObjectType}</c>).</summary>
/// <param name="SObjectType">The object's API name, for example <c>Contact</c> or <c>Invoice__c</c>.</param>
/// <param name="Fields">The field values by API name (JSON values as Salesforce takes them).</param>
/// <param name="ExternalIdField">
/// An external id field of the object whose value is in <paramref name="Fields"/>: <see cref="SalesforceConnector.CreateUnlessExists"/>
/// looks the record up by it before creating. Optional for <see cref="SalesforceConnector.Create"/>.
/// </param>
public sealed record SObjectDraft(string SObjectType, JsonObject Fields, string? ExternalIdField = null);

/// <summary>Field values to set on an existing record (<c>PATCH /sobjects/{SObjectType}/{Id}</c>).</summary>
/// <param name="SObjectType">The object's API name.</param>
/// <param name="Id">The record's id.</param>
/// <param name="Fields">The field values to set, by API name.</param>
public sealed record SObjectUpdate(string SObjectType, string Id, JsonObject Fields);

/// <summary>A record to create or update by an external id (<c>PATCH /sobjects/{SObjectType}/{ExternalIdField}/{ExternalIdValue}</c>).</summary>
/// <param name="SObjectType">The object's API name.</param>
/// <param name="ExternalIdField">The external id field's API name, for example <c>Erp_Id__c</c>.</param>
/// <param name="ExternalIdValue">The external id.</param>
/// <param name="Fields">The other field values, by API name (not the external id field itself).</param>
public sealed record SObjectUpsert(string SObjectType, string ExternalIdField, string ExternalIdValue, JsonObject Fields);

/// <summary>Several records written in one sObject Collections request (up to 200).</summary>
/// <typeparam name="T">The record's shape.</typeparam>
/// <param name="Records">The records, 1 to 200.</param>
/// <param name="AllOrNone">Whether one failure rolls back the whole request (<c>allOrNone</c>). <value>Default: <see langword="true"/>.</value></param>
public sealed record SObjectBatch<T>(IReadOnlyList<T> Records, bool AllOrNone = true);

/// <summary>One error of a Salesforce answer: <c>{"errorCode","message","fields"}</c> (<c>statusCode</c> in sObject Collections results).</summary>
/// <param name="ErrorCode">The code, for example <c>REQUIRED_FIELD_MISSING</c>, <c>INVALID_SESSION_ID</c>, <c>REQUEST_LIMIT_EXCEEDED</c>.</param>
/// <param name="Message">The message.</param>
/// <param name="Fields">The fields at fault, when Salesforce names them.</param>
public sealed record SalesforceError(string ErrorCode, string Message, IReadOnlyList<string> Fields);

/// <summary>The result of writing one record (a SaveResult or UpsertResult).</summary>
/// <param name="Id">The record's id, when it was written.</param>
/// <param name="Success">Whether the record was written.</param>
/// <param name="Created">Whether it was created (<see langword="false"/>: updated; <see langword="null"/>: not said).</param>
/// <param name="Errors">Why it was not written.</param>
public sealed record SObjectResult(string? Id, bool Success, bool? Created, IReadOnlyList<SalesforceError> Errors);
