using System;
using System.Collections.Generic;
using System.Text;

namespace GraphEmulator.Query;

internal enum FilterTokenKind
{
    Identifier,
    String,
    OpenParen,
    CloseParen,
    Comma,
    End,
}

internal readonly record struct FilterToken(FilterTokenKind Kind, string Text);

/// <summary>Splits an OData $filter into identifiers, single-quoted strings ('' escapes a quote) and punctuation.</summary>
internal static class FilterTokenizer
{
    public static List<FilterToken> Tokenize(string text)
    {
        var tokens = new List<FilterToken>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')' or ',')
            {
                tokens.Add(new(c == '(' ? FilterTokenKind.OpenParen : c == ')' ? FilterTokenKind.CloseParen : FilterTokenKind.Comma, c.ToString()));
                i++;
            }
            else if (c == '\'')
            {
                tokens.Add(new(FilterTokenKind.String, ReadString(text, ref i)));
            }
            else if (char.IsLetterOrDigit(c) || c is '_' or '.' or '-' or ':' or '/')
            {
                int start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.' or '-' or ':' or '/'))
                {
                    i++;
                }

                tokens.Add(new(FilterTokenKind.Identifier, text[start..i]));
            }
            else
            {
                throw new FilterException($"Syntax error: character '{c}' is not valid at position {i} in '{text}'.");
            }
        }

        tokens.Add(new(FilterTokenKind.End, string.Empty));
        return tokens;
    }

    private static string ReadString(string text, ref int i)
    {
        var value = new StringBuilder();
        i++;
        while (i < text.Length)
        {
            if (text[i] == '\'')
            {
                if (i + 1 < text.Length && text[i + 1] == '\'')
                {
                    value.Append('\'');
                    i += 2;
                    continue;
                }

                i++;
                return value.ToString();
            }

            value.Append(text[i++]);
        }

        throw new FilterException($"Syntax error: there is an unterminated string literal in '{text}'.");
    }
}

internal sealed class FilterException(string message) : Exception(message);
