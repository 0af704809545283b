using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphEmulator.Store;

namespace GraphEmulator.Query;

/// <summary>
/// Compiles the part of OData $filter that vppTokens need: eq, ne, and, or, not, parentheses and
/// startswith(prop,'x') on string, enum and boolean properties. Comparisons ignore case, as Intune's store does.
/// Anything else fails with a <see cref="FilterException"/>, which the caller answers with 400.
/// </summary>
internal sealed class FilterParser
{
    private readonly List<FilterToken> _tokens;
    private readonly ApiVersion _version;
    private int _position;

    private FilterParser(string text, ApiVersion version)
    {
        _tokens = FilterTokenizer.Tokenize(text);
        _version = version;
    }

    public static Func<JsonObject, bool> Compile(string text, ApiVersion version)
    {
        var parser = new FilterParser(text, version);
        Func<JsonObject, bool> predicate = parser.ParseOr();
        if (parser.Peek.Kind != FilterTokenKind.End)
        {
            throw new FilterException($"Syntax error at '{parser.Peek.Text}': expected 'and', 'or' or the end of the expression.");
        }

        return predicate;
    }

    private FilterToken Peek => _tokens[_position];

    private FilterToken Take() => _tokens[_position++];

    private bool TakeKeyword(string keyword)
    {
        if (Peek.Kind == FilterTokenKind.Identifier && Peek.Text.Equals(keyword, StringComparison.Ordinal))
        {
            _position++;
            return true;
        }

        return false;
    }

    private void Expect(FilterTokenKind kind)
    {
        if (Take().Kind != kind)
        {
            throw new FilterException($"Syntax error: expected {kind} at token {_position}.");
        }
    }

    private Func<JsonObject, bool> ParseOr()
    {
        Func<JsonObject, bool> left = ParseAnd();
        while (TakeKeyword("or"))
        {
            Func<JsonObject, bool> l = left, r = ParseAnd();
            left = t => l(t) || r(t);
        }

        return left;
    }

    private Func<JsonObject, bool> ParseAnd()
    {
        Func<JsonObject, bool> left = ParseUnary();
        while (TakeKeyword("and"))
        {
            Func<JsonObject, bool> l = left, r = ParseUnary();
            left = t => l(t) && r(t);
        }

        return left;
    }

    private Func<JsonObject, bool> ParseUnary()
    {
        if (TakeKeyword("not"))
        {
            Func<JsonObject, bool> inner = ParseUnary();
            return t => !inner(t);
        }

        if (Peek.Kind == FilterTokenKind.OpenParen)
        {
            Take();
            Func<JsonObject, bool> inner = ParseOr();
            Expect(FilterTokenKind.CloseParen);
            return inner;
        }

        if (TakeKeyword("startswith"))
        {
            Expect(FilterTokenKind.OpenParen);
            PropertySpec property = Property(Take());
            if (property.Kind is not (PropertyKind.String or PropertyKind.Enum))
            {
                throw new FilterException($"The function 'startswith' does not apply to property '{property.Name}' of type '{property.EdmType}'.");
            }

            Expect(FilterTokenKind.Comma);
            FilterToken prefix = Take();
            if (prefix.Kind != FilterTokenKind.String)
            {
                throw new FilterException("The second argument of 'startswith' must be a string literal.");
            }

            Expect(FilterTokenKind.CloseParen);
            return t => Text(t, property.Name)?.StartsWith(prefix.Text, StringComparison.OrdinalIgnoreCase) == true;
        }

        return ParseComparison();
    }

    private Func<JsonObject, bool> ParseComparison()
    {
        FilterToken name = Take();
        if (name.Kind != FilterTokenKind.Identifier)
        {
            throw new FilterException($"Syntax error: expected a property name, found '{name.Text}'.");
        }

        if (Peek.Kind == FilterTokenKind.OpenParen)
        {
            throw new FilterException($"The function '{name.Text}' is not supported; use eq, ne, and, or, not and startswith.");
        }

        PropertySpec property = Property(name);
        FilterToken op = Take();
        if (op.Text is not ("eq" or "ne"))
        {
            throw new FilterException($"The operator '{op.Text}' is not supported on '{property.Name}'; use eq, ne or startswith.");
        }

        Func<JsonObject, bool> equals = Equality(property, Take());
        return op.Text == "eq" ? equals : t => !equals(t);
    }

    private Func<JsonObject, bool> Equality(PropertySpec property, FilterToken literal)
    {
        if (literal.Kind == FilterTokenKind.Identifier && literal.Text == "null")
        {
            return t => t[property.Name] is null;
        }

        switch (property.Kind)
        {
            case PropertyKind.String or PropertyKind.Enum when literal.Kind == FilterTokenKind.String:
                string expected = literal.Text;
                return t => string.Equals(Text(t, property.Name), expected, StringComparison.OrdinalIgnoreCase);
            case PropertyKind.Boolean when literal.Text is "true" or "false" && literal.Kind == FilterTokenKind.Identifier:
                bool flag = literal.Text == "true";
                return t => t[property.Name]?.GetValueKind() == (flag ? JsonValueKind.True : JsonValueKind.False);
            default:
                throw new FilterException(
                    $"A binary operator with incompatible types was detected. Found operand types '{property.EdmType}' and the literal '{literal.Text}'.");
        }
    }

    private PropertySpec Property(FilterToken token)
    {
        PropertySpec? spec = token.Kind == FilterTokenKind.Identifier ? VppTokenSchema.Find(token.Text, _version) : null;
        if (spec is null)
        {
            throw new FilterException($"Could not find a property named '{token.Text}' on type '{VppTokenSchema.TypeName}'.");
        }

        if (spec.Kind is PropertyKind.DateTimeOffset or PropertyKind.Int32 or PropertyKind.StringCollection or PropertyKind.ObjectCollection)
        {
            throw new FilterException($"Filtering on property '{spec.Name}' of type '{spec.EdmType}' is not supported.");
        }

        return spec;
    }

    private static string? Text(JsonObject token, string name) =>
        token[name] is JsonValue value && value.TryGetValue(out string? text) ? text : null;
}
