import { ValidationFailedError } from '../common/errors';
import type { AuthUser } from '../common/auth';
import { refusedFiltersView } from './dashboard-page';
import { DashboardViews, table } from './dashboard-views';

describe('dashboard views (Handlebars, strict, escaped)', () => {
  const views = new DashboardViews();
  const hr: AuthUser = { id: 'u1', email: 'hr@example.org', role: 'hr', officeId: null };
  const offices = [{ id: 'o1', name: 'Cleveland <Field> Office' }];

  it('a view that reads a variable its context lacks fails instead of rendering a blank', () => {
    expect(() => views.render('login', { title: 'Sign in' })).toThrow(/"email" not defined/);
  });

  it('escapes what people typed and what the data holds', () => {
    const e = new ValidationFailedError('Unknown state "<b>"', { state: 'not a state' });
    const html = views.render('refused-filters', refusedFiltersView(hr, { from: '', to: '', officeId: 'o1', state: '"><script>x</script>', kind: '' }, offices, e, 'tok'));
    expect(html).not.toContain('<script>');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;" aria-invalid="true" aria-describedby="state-error"><span class="field-error" id="state-error">not a state</span>');
    expect(html).toContain('<option value="o1" selected>Cleveland &lt;Field&gt; Office</option>');
    expect(html).toContain('<p class="error" role="alert">Unknown state &quot;&lt;b&gt;&quot;: correct the marked field below.</p>');
    expect(html).toContain('<option value="">All offices</option>');
    expect(html).not.toContain('aria-describedby="from-error"');
    // the sign-out form carries its CSRF token
    expect(html).toContain('<form method="post" action="/dashboard/logout"><input type="hidden" name="_csrf" value="tok">');
  });

  it('coordinators get no "All offices" choice', () => {
    const e = new ValidationFailedError('Bad', { from: 'must be a date' });
    const html = views.render('refused-filters', refusedFiltersView({ ...hr, role: 'coordinator', officeId: 'o1' }, { from: 'x', to: '', officeId: 'o1', state: '', kind: '' }, offices, e, 'tok'));
    expect(html).not.toContain('All offices');
    expect(html).toContain('aria-describedby="from-error"');
  });

  it('tables: row headers, numbers right-aligned, links by href, missing values as a dash', () => {
    const t = table('t', 'Cap', ['Name', 'Count', 'Note'], [[{ text: 'A & B', href: '/dashboard/institutions/i1' }, 3, null]]);
    expect(t.rows[0]).toEqual([
      { text: 'A & B', num: false, href: '/dashboard/institutions/i1' },
      { text: '3', num: true, href: null },
      { text: '—', num: false, href: null },
    ]);
  });
});
