// Cockpit plugin: a process definition's finished instances and each one's history, read from the engine's history API
// with the signed-in user's own rights (operators hold READ_HISTORY on every process definition).
const PAGE = 50;

function text(tag, content, className) {
  const element = document.createElement(tag);
  if (content !== undefined && content !== null) {
    element.textContent = String(content);
  }
  if (className) {
    element.className = className;
  }
  return element;
}

function when(iso) {
  return iso ? iso.replace('T', ' ').replace(/\.\d+([+-]\d{4}|Z)$/, '') : '';
}

function took(ms) {
  if (ms === null || ms === undefined) {
    return '';
  }
  return ms < 1000 ? ms + ' ms' : ms < 60000 ? (ms / 1000).toFixed(1) + ' s' : Math.round(ms / 60000) + ' min';
}

async function get(api, path) {
  const response = await fetch(api.engineApi + path, {
    credentials: 'same-origin',
    headers: {Accept: 'application/json', 'X-XSRF-TOKEN': api.CSRFToken}
  });
  if (!response.ok) {
    throw new Error('HTTP ' + response.status + ' for ' + path);
  }
  return response.json();
}

async function showHistory(api, instance, row) {
  const next = row.nextSibling;
  if (next && next.className === 'nodelock-history') {
    next.remove();
    return;
  }
  const holder = document.createElement('tr');
  holder.className = 'nodelock-history';
  const cell = document.createElement('td');
  cell.colSpan = 6;
  holder.appendChild(cell);
  row.after(holder);
  cell.textContent = 'Loading history...';
  try {
    const activities = await get(api, '/history/activity-instance?processInstanceId=' + encodeURIComponent(instance.id)
      + '&sortBy=startTime&sortOrder=asc');
    const table = text('table', null, 'table table-condensed');
    const head = document.createElement('tr');
    ['Activity', 'Type', 'Started', 'Ended', 'Took', 'State'].forEach(h => head.appendChild(text('th', h)));
    table.appendChild(head);
    activities.forEach(a => {
      const tr = document.createElement('tr');
      [a.activityName || a.activityId, a.activityType, when(a.startTime), when(a.endTime), took(a.durationInMillis),
        a.canceled ? 'canceled' : a.completeScope ? 'ended the instance' : ''].forEach(v => tr.appendChild(text('td', v)));
      table.appendChild(tr);
    });
    cell.textContent = '';
    cell.appendChild(table);
  } catch (e) {
    cell.textContent = 'Could not load the history: ' + e.message;
  }
}

async function render(node, api, processDefinitionId) {
  node.textContent = 'Loading finished instances...';
  try {
    const [instances, count] = await Promise.all([
      get(api, '/history/process-instance?finished=true&processDefinitionId=' + encodeURIComponent(processDefinitionId)
        + '&sortBy=endTime&sortOrder=desc&maxResults=' + PAGE),
      get(api, '/history/process-instance/count?finished=true&processDefinitionId=' + encodeURIComponent(processDefinitionId))
    ]);
    node.textContent = '';
    node.appendChild(text('p', count.count + ' finished instance(s)' + (count.count > PAGE ? ', the latest ' + PAGE + ' shown' : '')
      + '. Click one for the activities it went through.', 'nodelock-finished-count'));
    const table = text('table', null, 'cam-table nodelock-finished');
    const head = document.createElement('tr');
    ['Business key', 'Instance', 'Started', 'Ended', 'Took', 'State'].forEach(h => head.appendChild(text('th', h)));
    const thead = document.createElement('thead');
    thead.appendChild(head);
    table.appendChild(thead);
    const body = document.createElement('tbody');
    instances.forEach(instance => {
      const row = document.createElement('tr');
      row.style.cursor = 'pointer';
      row.className = 'nodelock-finished-instance';
      [instance.businessKey, instance.id, when(instance.startTime), when(instance.endTime), took(instance.durationInMillis),
        instance.state].forEach(v => row.appendChild(text('td', v)));
      row.addEventListener('click', () => showHistory(api, instance, row));
      body.appendChild(row);
    });
    table.appendChild(body);
    node.appendChild(table);
  } catch (e) {
    node.textContent = 'Could not load the finished instances: ' + e.message;
  }
}

export default {
  id: 'nodelock.finishedInstances',
  pluginPoint: 'cockpit.processDefinition.runtime.tab',
  priority: 1,
  render: (node, {api, processDefinitionId}) => {
    render(node, api, processDefinitionId);
  },
  properties: {
    label: 'Finished instances'
  }
};
