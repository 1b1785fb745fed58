using System.Linq.Expressions;
using System.Reflection;

namespace Integrations.Sdk.Mapping;

/// <summary>Creates compiled, self-describing mappers.</summary>
public static class Mapper
{
    /// <summary>
    /// Builds a mapper from <typeparamref name="TSource"/> to <typeparamref name="TTarget"/>, field by field. The
    /// fields compile into one delegate; the mapper can describe itself as a table (<see cref="Mapper{TSource, TTarget}.Description"/>).
    /// </summary>
    /// <typeparam name="TSource">The source type.</typeparam>
    /// <typeparam name="TTarget">The target type, with a parameterless constructor and settable properties.</typeparam>
    /// <param name="configure">Declares the fields.</param>
    public static Mapper<TSource, TTarget> Create<TSource, TTarget>(Action<MapperBuilder<TSource, TTarget>> configure)
        where TTarget : new()
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new MapperBuilder<TSource, TTarget>();
        configure(builder);
        return builder.Build();
    }

    internal static string Describe(MemberInfo member) =>
        member.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? member.Name;
}

/// <summary>A compiled mapping from <typeparamref name="TSource"/> to <typeparamref name="TTarget"/>.</summary>
/// <typeparam name="TSource">The source type.</typeparam>
/// <typeparam name="TTarget">The target type.</typeparam>
public sealed class Mapper<TSource, TTarget>
{
    private readonly Func<TSource, MappingErrors, TTarget> _map;

    internal Mapper(Func<TSource, MappingErrors, TTarget> map, MappingDescription description)
    {
        _map = map;
        Description = description;
    }

    /// <summary>The mapping, field by field.</summary>
    public MappingDescription Description { get; }

    /// <summary>Maps a record.</summary>
    /// <param name="source">The source record.</param>
    /// <exception cref="MappingValidationException">Required fields are missing or a transform failed; the message names each field path.</exception>
    public TTarget Map(TSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var errors = new MappingErrors();
        var target = _map(source, errors);
        return errors.List is { Count: > 0 } list
            ? throw new MappingValidationException(Description.SourceType, Description.TargetType, list)
            : target;
    }
}

/// <summary>Collects the errors of one mapping call; allocates only when there is one.</summary>
internal sealed class MappingErrors
{
    public List<MappingError>? List { get; private set; }

    public void Add(string sourcePath, string targetPath, string message) => (List ??= []).Add(new MappingError(sourcePath, targetPath, message));
}

/// <summary>Declares the fields of a mapper.</summary>
/// <typeparam name="TSource">The source type.</typeparam>
/// <typeparam name="TTarget">The target type.</typeparam>
public sealed class MapperBuilder<TSource, TTarget>
    where TTarget : new()
{
    private readonly List<FieldSpec> _fields = [];

    internal MapperBuilder()
    {
    }

    /// <summary>Maps a source path to a target property as is.</summary>
    /// <typeparam name="TValue">The value's type.</typeparam>
    /// <param name="target">The target property, for example <c>t =&gt; t.Email</c>.</param>
    /// <param name="source">The source path, for example <c>s =&gt; s.Customer.Email</c>. Null parents are handled.</param>
    public MapperBuilder<TSource, TTarget> Field<TValue>(Expression<Func<TTarget, TValue>> target, Expression<Func<TSource, TValue>> source) =>
        Add(target, source, null, null);

    /// <summary>Maps a source path to a target property through a named transform.</summary>
    /// <typeparam name="TSourceValue">The source value's type.</typeparam>
    /// <typeparam name="TValue">The target value's type.</typeparam>
    /// <param name="target">The target property.</param>
    /// <param name="source">The source path.</param>
    /// <param name="transformName">The transform's name, shown in the mapping table (for example <c>cents to decimal</c>).</param>
    /// <param name="transform">The transform; called only when the source value is present.</param>
    public MapperBuilder<TSource, TTarget> Field<TSourceValue, TValue>(
        Expression<Func<TTarget, TValue>> target,
        Expression<Func<TSource, TSourceValue>> source,
        string transformName,
        Func<TSourceValue, TValue> transform)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transformName);
        ArgumentNullException.ThrowIfNull(transform);
        return Add(target, source, transformName, transform);
    }

    /// <summary>Sets a target property to a constant.</summary>
    /// <typeparam name="TValue">The value's type.</typeparam>
    /// <param name="target">The target property.</param>
    /// <param name="value">The value.</param>
    public MapperBuilder<TSource, TTarget> Constant<TValue>(Expression<Func<TTarget, TValue>> target, TValue value)
    {
        ArgumentNullException.ThrowIfNull(target);
        var property = TargetProperty(target);
        _fields.Add(new FieldSpec(property, null, "(constant)", $"constant {value}", false, null, Expression.Constant(value, typeof(TValue))));
        return this;
    }

    /// <summary>Marks the last declared field required: a missing (null, or blank text) source value is a validation error naming its path.</summary>
    public MapperBuilder<TSource, TTarget> Required()
    {
        if (_fields.Count == 0)
        {
            throw new InvalidOperationException("Required() follows a Field(...) declaration.");
        }

        _fields[^1] = _fields[^1] with { Required = true };
        return this;
    }

    internal Mapper<TSource, TTarget> Build()
    {
        var source = Expression.Parameter(typeof(TSource), "source");
        var errors = Expression.Parameter(typeof(MappingErrors), "errors");
        var target = Expression.Variable(typeof(TTarget), "target");
        var body = new List<Expression> { Expression.Assign(target, Expression.New(typeof(TTarget))) };
        foreach (var field in _fields)
        {
            body.Add(Compile(field, source, errors, target));
        }

        body.Add(target);
        var lambda = Expression.Lambda<Func<TSource, MappingErrors, TTarget>>(Expression.Block([target], body), source, errors);
        var description = new MappingDescription(
            typeof(TSource).Name,
            typeof(TTarget).Name,
            [.. _fields.Select(f => new FieldMapping(f.SourcePath, f.TargetPath, f.Transform, f.Required))]);
        return new Mapper<TSource, TTarget>(lambda.Compile(), description);
    }

    private MapperBuilder<TSource, TTarget> Add<TValue, TSourceValue>(
        Expression<Func<TTarget, TValue>> target, Expression<Func<TSource, TSourceValue>> source, string? transformName, Delegate? transform)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(source);
        var property = TargetProperty(target);
        _fields.Add(new FieldSpec(property, source, SourcePath(source), transformName, false, transform, null));
        return this;
    }

    private static PropertyInfo TargetProperty(LambdaExpression target) =>
        target.Body is MemberExpression { Member: PropertyInfo { CanWrite: true } property } member && member.Expression == target.Parameters[0]
            ? property
            : throw new ArgumentException($"The target '{target}' must be a settable property of {typeof(TTarget).Name}, such as t => t.Name.", nameof(target));

    private static string SourcePath(LambdaExpression source)
    {
        var parts = new Stack<string>();
        var node = source.Body;
        while (node is MemberExpression member)
        {
            parts.Push(Mapper.Describe(member.Member));
            node = member.Expression;
        }

        if (node == source.Parameters[0] && parts.Count > 0)
        {
            return string.Join('.', parts);
        }

        var text = source.Body.ToString();
        var prefix = source.Parameters[0].Name + ".";
        return text.Replace(prefix, string.Empty, StringComparison.Ordinal);
    }

    private static Expression Compile(FieldSpec field, ParameterExpression source, ParameterExpression errors, ParameterExpression target)
    {
        var assignTarget = Expression.Property(target, field.Property);
        if (field.ConstantValue is not null)
        {
            return Expression.Assign(assignTarget, Expression.Convert(field.ConstantValue, field.Property.PropertyType));
        }

        var lambda = field.Source!;
        var read = new ReplaceParameter(lambda.Parameters[0], source).Visit(lambda.Body);
        var missing = MissingCheck(read, field.Required);
        var value = Expression.Variable(read.Type, "value");
        Expression produced = field.TransformDelegate is { } transform ? Expression.Invoke(Expression.Constant(transform), value) : value;

        var addError = typeof(MappingErrors).GetMethod(nameof(MappingErrors.Add))!;
        var targetPath = Mapper.Describe(field.Property);
        Expression onMissing = field.Required
            ? Expression.Call(errors, addError, Expression.Constant(field.SourcePath), Expression.Constant(targetPath), Expression.Constant("required value is missing"))
            : Expression.Empty();

        var assign = Expression.Block(
            [value],
            Expression.Assign(value, read),
            Expression.Assign(assignTarget, Expression.Convert(produced, field.Property.PropertyType)));

        var guarded = missing is null ? (Expression)assign : Expression.IfThenElse(missing, onMissing, assign);
        var exception = Expression.Parameter(typeof(Exception), "ex");
        var describe = field.Transform is null ? "could not be read: " : $"transform '{field.Transform}' failed: ";
        var message = Expression.Call(
            typeof(string).GetMethod(nameof(string.Concat), [typeof(string), typeof(string)])!,
            Expression.Constant(describe),
            Expression.Property(exception, nameof(Exception.Message)));
        return Expression.TryCatch(
            Expression.Block(typeof(void), guarded),
            Expression.Catch(exception, Expression.Call(errors, addError, Expression.Constant(field.SourcePath), Expression.Constant(targetPath), message)));
    }

    /// <summary>Builds "any link of the member chain is null (or the text is blank)", or null when nothing can be missing.</summary>
    private static Expression? MissingCheck(Expression read, bool required)
    {
        var checks = new List<Expression>();
        var links = new Stack<Expression>();
        var node = read;
        while (node is MemberExpression member && member.Expression is not null)
        {
            links.Push(member.Expression);
            node = member.Expression;
        }

        foreach (var link in links.Skip(1).Append(read))
        {
            if (CanBeNull(link.Type))
            {
                checks.Add(Expression.Equal(link, Expression.Constant(null, link.Type)));
            }
        }

        if (required && read.Type == typeof(string))
        {
            checks.Add(Expression.Call(typeof(string).GetMethod(nameof(string.IsNullOrWhiteSpace), [typeof(string)])!, read));
        }

        Expression? combined = null;
        foreach (var check in checks)
        {
            combined = combined is null ? check : Expression.OrElse(combined, check);
        }

        return combined;
    }

    private static bool CanBeNull(Type type) => !type.IsValueType || Nullable.GetUnderlyingType(type) is not null;

    private sealed record FieldSpec(
        PropertyInfo Property,
        LambdaExpression? Source,
        string SourcePath,
        string? Transform,
        bool Required,
        Delegate? TransformDelegate,
        ConstantExpression? ConstantValue)
    {
        public string TargetPath => Mapper.Describe(Property);
    }

    private sealed class ReplaceParameter(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
