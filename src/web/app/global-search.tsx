import {
  ActionIcon,
  Box,
  Button,
  Center,
  Group,
  Highlight,
  Kbd,
  Loader,
  Modal,
  ScrollArea,
  Stack,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue, useDisclosure, useHotkeys } from '@mantine/hooks';
import { useNavigate } from '@tanstack/react-router';
import { type KeyboardEvent, useEffect, useId, useMemo, useState } from 'react';
import { isApiError } from '../api/client';
import { SearchIcon } from '../components/icons';
import { hitHref, listHref, type SearchResults, useGlobalSearch } from './search.api';

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent);
const SHORTCUT_LABEL = IS_MAC ? '⌘ K' : 'Ctrl K';
const ARIA_SHORTCUT = IS_MAC ? 'Meta+K' : 'Control+K';

/** The top bar's search: a button and Ctrl/Cmd+K anywhere open the command palette. */
export function GlobalSearch() {
  const [opened, { open, close, toggle }] = useDisclosure(false);
  // Anywhere, including while typing in a field: the shortcut is the point.
  useHotkeys([['mod+K', toggle]], []);
  return (
    <>
      <Button
        variant="default"
        color="gray"
        visibleFrom="sm"
        onClick={open}
        aria-label="Search"
        aria-keyshortcuts={ARIA_SHORTCUT}
        aria-haspopup="dialog"
        leftSection={<SearchIcon size={16} />}
        rightSection={<Kbd size="xs">{SHORTCUT_LABEL}</Kbd>}
        styles={{ label: { minWidth: 110, justifyContent: 'flex-start' } }}
      >
        <Text size="sm" c="dimmed" span>
          Search…
        </Text>
      </Button>
      <ActionIcon
        variant="default"
        size="lg"
        hiddenFrom="sm"
        onClick={open}
        aria-label="Search"
        aria-keyshortcuts={ARIA_SHORTCUT}
        aria-haspopup="dialog"
      >
        <SearchIcon />
      </ActionIcon>
      <CommandPalette opened={opened} onClose={close} />
    </>
  );
}

interface PaletteOption {
  key: string;
  title: string;
  subtitle?: string | null;
  /** Undefined for a record type the web app has no page for yet. */
  href?: string;
  kind: 'hit' | 'more';
}

interface PaletteSection {
  type: string;
  heading: string;
  options: PaletteOption[];
}

/** Hits grouped by type, groups in the order of their best hit; "show all" where a list has more. */
function sectionsOf(results: SearchResults | undefined, q: string): PaletteSection[] {
  if (!results) return [];
  const sections = new Map<string, PaletteSection>();
  const typeInfo = new Map(results.types.map((entry) => [entry.type, entry]));
  for (const hit of results.data) {
    let section = sections.get(hit.type);
    if (!section) {
      section = { type: hit.type, heading: typeInfo.get(hit.type)?.plural ?? hit.type, options: [] };
      sections.set(hit.type, section);
    }
    section.options.push({
      key: `${hit.type}:${hit.id}`,
      title: hit.title,
      subtitle: hit.subtitle,
      href: hitHref(hit),
      kind: 'hit',
    });
  }
  for (const section of sections.values()) {
    const info = typeInfo.get(section.type);
    const more = listHref(section.type, q);
    if (info && more && info.total > section.options.length) {
      section.options.push({
        key: `${section.type}:more`,
        title: `Show all ${info.total} ${info.plural.toLowerCase()}`,
        href: more,
        kind: 'more',
      });
    }
  }
  return [...sections.values()];
}

function CommandPalette({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const baseId = useId();
  const listboxId = `${baseId}-results`;
  const [value, setValue] = useState('');
  const [q] = useDebouncedValue(value.trim(), 200);
  const search = useGlobalSearch(q);
  const results = q ? search.data : undefined;
  const sections = useMemo(() => sectionsOf(results, q), [results, q]);
  const options = useMemo(() => sections.flatMap((section) => section.options), [sections]);
  const [active, setActive] = useState(0);
  // What is shown answers what is typed (not an older query still on screen while fetching).
  const current = value.trim() === q && !search.isPlaceholderData;

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new answer starts at its first hit
  useEffect(() => setActive(0), [results]);
  useEffect(() => {
    if (opened) document.getElementById(`${baseId}-option-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active, baseId, opened]);

  const close = () => {
    setValue('');
    onClose();
  };
  const choose = (option: PaletteOption | undefined) => {
    if (!option?.href) return;
    close();
    void navigate({ href: option.href });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (options.length === 0) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((index) => (index + step + options.length) % options.length);
    } else if (event.key === 'Enter' && current) {
      event.preventDefault();
      choose(options[active]);
    }
  };

  const expanded = options.length > 0;
  const status = !q
    ? ''
    : search.isError
      ? 'Search failed.'
      : !results
        ? 'Searching…'
        : results.total === 0
          ? `No results for ${q}.`
          : `${results.total} result${results.total === 1 ? '' : 's'}.`;

  let index = -1;
  return (
    <Modal.Root opened={opened} onClose={close} size="lg" yOffset="10vh">
      <Modal.Overlay />
      <Modal.Content>
        <VisuallyHidden>
          <Modal.Title>Search</Modal.Title>
        </VisuallyHidden>
        <Box p="sm" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
          <TextInput
            data-autofocus
            size="md"
            variant="unstyled"
            aria-label="Search records"
            placeholder="Search people, groups, tags…"
            leftSection={search.isFetching ? <Loader size={16} /> : <SearchIcon size={18} />}
            value={value}
            maxLength={200}
            autoComplete="off"
            spellCheck={false}
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={expanded}
            aria-controls={expanded ? listboxId : undefined}
            aria-activedescendant={expanded ? `${baseId}-option-${active}` : undefined}
            onChange={(event) => setValue(event.currentTarget.value)}
            onKeyDown={onKeyDown}
          />
        </Box>
        <VisuallyHidden role="status" aria-live="polite">
          {status}
        </VisuallyHidden>
        <ScrollArea.Autosize mah="55vh" type="auto">
          {!q ? (
            <Stack gap={4} p="lg" align="center">
              <Text size="sm">Type a name, e-mail address or any word.</Text>
              <Text size="xs" c="dimmed" ta="center">
                Searches every record you may read: people, groups, tags and more.
              </Text>
            </Stack>
          ) : search.isError ? (
            <Text size="sm" c="red" p="lg" ta="center">
              {isApiError(search.error) ? search.error.summary : 'Search failed. Try again.'}
            </Text>
          ) : !results ? (
            <Center p="lg">
              <Loader size="sm" />
            </Center>
          ) : results.total === 0 ? (
            <Stack gap={4} p="lg" align="center">
              <Text size="sm">No results for “{q}”</Text>
              <Text size="xs" c="dimmed">
                Check the spelling, or search for part of a word.
              </Text>
            </Stack>
          ) : (
            <div role="listbox" id={listboxId} aria-label="Search results">
              {sections.map((section) => {
                const headingId = `${baseId}-group-${section.type}`;
                return (
                  <div role="presentation" key={section.type}>
                    <Text
                      id={headingId}
                      role="presentation"
                      size="xs"
                      fw={700}
                      c="dimmed"
                      tt="uppercase"
                      px="md"
                      pt="sm"
                      pb={4}
                    >
                      {section.heading}
                    </Text>
                    {/* biome-ignore lint/a11y/useSemanticElements: a group of options inside a listbox (ARIA), not a form fieldset */}
                    <div role="group" aria-labelledby={headingId}>
                      {section.options.map((option) => {
                        index += 1;
                        const position = index;
                        const selected = position === active;
                        return (
                          <Box
                            key={option.key}
                            id={`${baseId}-option-${position}`}
                            role="option"
                            aria-selected={selected}
                            aria-disabled={option.href ? undefined : true}
                            px="md"
                            py={6}
                            onMouseMove={() => setActive(position)}
                            onMouseDown={(event) => event.preventDefault()}
                            onClick={() => choose(option)}
                            style={{
                              cursor: option.href ? 'pointer' : 'default',
                              background: selected ? 'var(--mantine-primary-color-light)' : undefined,
                              opacity: option.href ? 1 : 0.6,
                            }}
                          >
                            {option.kind === 'more' ? (
                              <Text size="sm" c="blue">
                                {option.title}
                              </Text>
                            ) : (
                              <>
                                <Highlight size="sm" fw={500} highlight={q} truncate>
                                  {option.title || '(untitled)'}
                                </Highlight>
                                {option.subtitle && (
                                  <Text size="xs" c="dimmed" truncate>
                                    {option.subtitle}
                                  </Text>
                                )}
                              </>
                            )}
                          </Box>
                        );
                      })}
                    </div>
                  </div>
                );
              })}
            </div>
          )}
        </ScrollArea.Autosize>
        <Group
          justify="space-between"
          px="md"
          py={6}
          gap="xs"
          style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
        >
          <Text size="xs" c="dimmed" aria-hidden="true" visibleFrom="sm">
            <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> to move · <Kbd size="xs">Enter</Kbd> to open ·{' '}
            <Kbd size="xs">Esc</Kbd> to close
          </Text>
          {results && results.total > results.data.length && (
            <Text size="xs" c="dimmed">
              Best {results.data.length} of {results.total}
            </Text>
          )}
        </Group>
      </Modal.Content>
    </Modal.Root>
  );
}
